// Fuzz target `attestation`: verifyRegistration with the input as the attestation object (fixed RP, challenge and
// clientDataJSON; every algorithm allowed, RSA from 1024 bits). The seeds are real registrations for this client
// data, so they verify; mutations explore the attestation-object, authenticator-data, COSE, packed / fido-u2f and
// X.509 parsers. When a registration is accepted, what it reports must be the bytes inside the input.
import PasskeyCBOR
import PasskeySoftAuthenticator
import PasskeyWebAuthn

nonisolated(unsafe) private let verifier = WebAuthnVerifier()
private let rp: RelyingParty = {
    var p = Fixture.permissivePolicy
    p.minimumRSAModulusBits = 1024
    return Fixture.relyingParty(p)
}()
private let clientData = ClientDataJSON.make(
    type: "webauthn.create", challenge: Fixture.challenge, origin: Fixture.origin)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    withInput(data, size) { object in
        clientData.withUnsafeBytes { cd in
            Fixture.challenge.withUnsafeBytes { ch in
                let reg: VerifiedRegistration
                do throws(WebAuthnError) {
                    reg = try verifier.verifyRegistration(
                        AttestationView(clientDataJSON: cd, attestationObject: object), challenge: ch, relyingParty: rp)
                } catch {
                    return
                }
                // Accepted: the credential id and key must be byte ranges of the input's authData.
                guard contains(object, reg.credentialID), contains(object, reg.credentialPublicKey),
                      reg.aaguid.count == 16, contains(object, reg.aaguid)
                else { fuzzFail("accepted registration reports bytes that are not in the attestation object") }
                guard rp.policy.allowedAlgorithms.contains(reg.algorithm) else { fuzzFail("algorithm not allowed") }
            }
        }
    }
    return 0
}

private func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard needle.count <= haystack.count else { return false }
    for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
        if haystack[i..<i + needle.count].elementsEqual(needle) { return true }
    }
    return false
}
