// Fuzz target `clientdata`: the input is the clientDataJSON of an otherwise valid ES256 assertion (fixed RP, challenge
// and key, made once at startup) — JSONReader plus every client-data check of §7.2, through WebAuthnVerifier.
// When the client data passes every check (the verdict is only `bad_signature`), the input is signed for real and
// must then be accepted, and an independent look at the parsed members must agree it was acceptable.
import PasskeyJSON
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn

private let valid = ValidAssertion.make()
nonisolated(unsafe) private let verifier = WebAuthnVerifier()
private let strictRP = Fixture.relyingParty()
private let crossOriginRP: RelyingParty = {
    var p = Policy()
    p.allowCrossOrigin = true
    p.allowedTopOrigins = ["https://top.example"]
    return Fixture.relyingParty(p)
}()
nonisolated(unsafe) private var oracleReader = JSONReader()
nonisolated(unsafe) private let hasher = SignatureVerifier()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let json = Array(UnsafeBufferPointer(start: data, count: size))
    for (rp, crossOK) in [(strictRP, false), (crossOriginRP, true)] {
        let a = valid.assertion
        var error = verifier.check(
            authenticatorData: a.authenticatorData, clientDataJSON: json, signature: a.signature,
            publicKey: valid.publicKey, relyingParty: rp)
        if error?.code == .badSignature {
            // Client data accepted: sign this exact clientDataJSON and it must verify.
            var hash = [UInt8](repeating: 0, count: 32)
            json.withUnsafeBytes { j in hash.withUnsafeMutableBytes { hasher.sha256(j, into: $0) } }
            guard let sig = try? valid.authenticator.sign(a.authenticatorData + hash) else { fuzzFail("signing failed") }
            error = verifier.check(
                authenticatorData: a.authenticatorData, clientDataJSON: json, signature: sig,
                publicKey: valid.publicKey, relyingParty: rp)
            if let error { fuzzFail("client data passed, signed for real, still rejected: \(error)") }
        }
        if error == nil { checkAcceptable(json, crossOriginAllowed: crossOK) }
    }
    return 0
}

/// What an accepted clientDataJSON must look like (WebAuthn L3 §7.2 steps 10–13).
private func checkAcceptable(_ json: [UInt8], crossOriginAllowed: Bool) {
    json.withUnsafeBytes { all in
        // UTF-8 decode strips one leading byte-order mark (§7.2 step 8); more than one is not JSON.
        let hasBOM = all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF
        let bytes = hasBOM ? UnsafeRawBufferPointer(rebasing: all[3...]) : all
        guard let root = try? oracleReader.parse(bytes), oracleReader.kind(root) == .object else {
            fuzzFail("accepted clientDataJSON is not a JSON object")
        }
        func str(_ name: StaticString) -> String? {
            oracleReader.member(root, name).flatMap { oracleReader.string($0) }
        }
        guard str("type") == "webauthn.get" else { fuzzFail("accepted type \(String(describing: str("type")))") }
        guard str("origin") == Fixture.origin else { fuzzFail("accepted origin \(String(describing: str("origin")))") }
        guard let c = oracleReader.member(root, "challenge"), let raw = oracleReader.rawStringBytes(c),
              String(decoding: raw, as: UTF8.self) == Base64URL.encode(Fixture.challenge)
        else { fuzzFail("accepted a challenge that is not the canonical base64url of the expected one") }
        let cross = oracleReader.member(root, "crossOrigin").flatMap { oracleReader.bool($0) } ?? false
        let top = str("topOrigin")
        if !crossOriginAllowed {
            guard !cross, oracleReader.member(root, "topOrigin") == nil else { fuzzFail("accepted a cross-origin ceremony") }
        } else if let top, top != "https://top.example" {
            fuzzFail("accepted topOrigin \(top)")
        } else if cross, top == nil {
            fuzzFail("accepted crossOrigin without a topOrigin although top origins are listed")
        }
    }
}
