// Fuzz target `differential`: one VALID ES256 assertion and one VALID ML-DSA-65 assertion (keys made once at startup by
// the soft authenticator) and the input as a mutation recipe applied to each of them. Each 4-byte record is
//   [op | field] [position hi] [position lo] [value]
// field = op & 3 (0 authenticatorData, 1 clientDataJSON, 2 signature, 3 all three at the same position modulo
// their sizes); op >> 2 & 3: 0/1 XOR `value` at position % count, 2 truncate to position % (count + 1), 3 insert
// `value` at position % (count + 1).
// Invariants: the unmodified assertions are accepted; whenever a signed byte (authenticatorData or clientDataJSON) or
// the signature differs from the original, the verdict is NOT ok. Both keys go through one verifier and one cache.
import PasskeyCOSE
import PasskeySoftAuthenticator
import PasskeyWebAuthn

/// The algorithm, stored key and assertion of each credential; the soft authenticators (their private keys) are
/// dropped once the assertions are made (swift-crypto keeps an ML-DSA seed in a `Data`, whose tagged storage
/// LeakSanitizer cannot follow from a global).
private struct Valid {
    let algorithm: COSEAlgorithm
    let publicKey: [UInt8]
    let assertion: SoftAssertion
}
private let valids: [Valid] = [ValidAssertion.make(), ValidAssertion.make(algorithm: .mldsa65)].map {
    Valid(algorithm: $0.authenticator.algorithm, publicKey: $0.publicKey, assertion: $0.assertion)
}
nonisolated(unsafe) private let verifier = WebAuthnVerifier()
private let rp = Fixture.relyingParty()
private let startupCheck: Void = {
    for valid in valids {
        let a = valid.assertion
        if let error = verifier.check(
            authenticatorData: a.authenticatorData, clientDataJSON: a.clientDataJSON, signature: a.signature,
            publicKey: valid.publicKey, relyingParty: rp)
        {
            fuzzFail("the unmodified \(valid.algorithm) assertion is rejected: \(error)")
        }
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = startupCheck
    for valid in valids { mutateAndCheck(valid, data, size) }
    return 0
}

private func mutateAndCheck(_ valid: Valid, _ data: UnsafePointer<UInt8>, _ size: Int) {
    let a = valid.assertion
    var fields = [a.authenticatorData, a.clientDataJSON, a.signature]
    var i = 0
    while i + 4 <= size && i < 4 * 64 {
        let op = data[i], pos = Int(data[i + 1]) << 8 | Int(data[i + 2]), value = data[i + 3]
        let targets = op & 3 == 3 ? [0, 1, 2] : [Int(op & 3)]
        for f in targets {
            switch (op >> 2) & 3 {
            case 0, 1:
                if !fields[f].isEmpty { fields[f][pos % fields[f].count] ^= value }
            case 2:
                fields[f].removeSubrange((pos % (fields[f].count + 1))...)
            default:
                fields[f].insert(value, at: pos % (fields[f].count + 1))
            }
        }
        i += 4
    }
    let changed = [fields[0] != a.authenticatorData, fields[1] != a.clientDataJSON, fields[2] != a.signature]
    let error = verifier.check(
        authenticatorData: fields[0], clientDataJSON: fields[1], signature: fields[2], publicKey: valid.publicKey,
        relyingParty: rp)
    if changed.contains(true) {
        if error == nil {
            fuzzFail("""
                a modified \(valid.algorithm) assertion was ACCEPTED (changed: authenticatorData \
                \(changed[0]), clientDataJSON \(changed[1]), signature \(changed[2]))
                """)
        }
    } else if let error {
        fuzzFail("the unmodified \(valid.algorithm) assertion is rejected: \(error)")
    }
}
