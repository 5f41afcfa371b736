// Fuzz target `authdata`: AuthenticatorData parsing. When the parser accepts, the parts it reports must re-assemble
// to exactly the input (rpIdHash ‖ flags ‖ signCount ‖ [AAGUID ‖ L ‖ credentialId ‖ COSE key] ‖ [extensions]) and
// agree with the flags; an attested key is then parsed as a COSE_Key and built.
import PasskeyCBOR
import PasskeyCOSE
import PasskeyWebAuthn

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    withInput(data, size) { bytes in
        let ad: AuthenticatorData
        do throws(WebAuthnError) {
            ad = try AuthenticatorData(bytes)
        } catch {
            return
        }
        guard bytes.count >= AuthenticatorData.minimumCount, ad.bytes.count == bytes.count,
              ad.rpIdHash.elementsEqual(bytes[0..<32]), ad.flags.rawValue == bytes[32]
        else { fuzzFail("header fields disagree with the bytes") }
        let count = UInt32(bytes[33]) << 24 | UInt32(bytes[34]) << 16 | UInt32(bytes[35]) << 8 | UInt32(bytes[36])
        guard ad.signCount == count else { fuzzFail("signCount \(ad.signCount) != \(count)") }
        var rebuilt = Array(bytes[0..<37])
        guard (ad.attested != nil) == ad.flags.contains(.attestedCredentialData) else { fuzzFail("AT flag vs attested") }
        guard (ad.extensions != nil) == ad.flags.contains(.extensionData) else { fuzzFail("ED flag vs extensions") }
        if let at = ad.attested {
            guard at.aaguid.count == 16, at.credentialID.count <= AuthenticatorData.maximumCredentialIDLength else {
                fuzzFail("attested credential data sizes")
            }
            rebuilt += at.aaguid
            rebuilt += [UInt8(at.credentialID.count >> 8), UInt8(at.credentialID.count & 0xff)]
            rebuilt += at.credentialID
            rebuilt += at.publicKeyBytes
            if let key = try? COSEKey(reader: at.keyReader, item: at.keyItem) {
                _ = try? key.makePublicKey()
            }
        }
        if let ext = ad.extensions {
            let r = CBORReader(ext)
            guard let m = try? r.readSingleItem(), m.type == .map else { fuzzFail("extensions are not one CBOR map") }
            rebuilt += ext
        }
        guard rebuilt.elementsEqual(bytes) else { fuzzFail("accepted authenticator data does not re-assemble") }
    }
    return 0
}
