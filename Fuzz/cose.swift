// Fuzz target `cose`: the input as a COSE_Key — parse it and build the OpenSSL public key (RSA floor 1024 and 2048).
// Invariants: the parsed key spans the input; a built RSA key is at least the requested size.
import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    withInput(data, size) { bytes in
        let reader = CBORReader(bytes)
        guard let item = try? reader.readSingleItem() else { return }
        let key: COSEKey
        do throws(COSEKeyError) {
            key = try COSEKey(reader: reader, item: item)
        } catch {
            return
        }
        guard key.encoded.count == bytes.count else { fuzzFail("COSEKey.encoded is not the whole key") }
        for bits in [1024, 2048] {
            do throws(COSEKeyError) {
                let pk = try key.makePublicKey(minimumRSAModulusBits: bits)
                switch key.keyType {
                case .rsa:
                    guard case let .rsa(n) = pk.kind, n >= bits else { fuzzFail("RSA key below \(bits) bits built") }
                default: break
                }
            } catch {
                continue
            }
        }
    }
    return 0
}
