import Foundation
import PasskeyCBOR
import PasskeyCOSE
import PasskeyJSON
import PasskeyMLDSA
import PasskeyWebAuthn
import Testing

/// Published ML-DSA verification vectors, a subset kept under `Vectors/`: Project Wycheproof's
/// `testvectors_v1/mldsa_65_verify_test.json` and `mldsa_87_verify_test.json` (C2SP/wycheproof, Apache-2.0; the
/// source and commit are in each file's `source` member). Cases kept: the baseline, a non-empty context, short and
/// long signatures, bit flips in c̃, z and the hints, invalid hint encodings, many-iteration signatures, short and long
/// public keys and a zero t1.
///
/// WebAuthn signs with the empty context, so a case is expected to verify exactly when Wycheproof says it is valid and
/// it carries no context (or an empty one).
@Suite struct MLDSAVectorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let tcId: Int
        let comment: String
        let publicKey: [UInt8]
        let message: [UInt8]
        let context: [UInt8]
        let signature: [UInt8]
        let valid: Bool
        var testDescription: String { "\(file) #\(tcId) \(comment)" }
    }

    static func load(_ name: String) -> (MLDSAParameterSet, [Case]) {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/\(name)")
        guard let data = try? Data(contentsOf: url),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let algorithm = root["algorithm"] as? String, let groups = root["testGroups"] as? [[String: Any]]
        else { return (.mldsa65, []) }
        let set: MLDSAParameterSet = algorithm == "ML-DSA-87" ? .mldsa87 : .mldsa65
        var cases: [Case] = []
        for g in groups {
            guard let pk = (g["publicKey"] as? String).flatMap(Hex.decode), let tests = g["tests"] as? [[String: Any]] else {
                continue
            }
            for t in tests {
                guard let id = t["tcId"] as? Int, let msg = (t["msg"] as? String).flatMap(Hex.decode),
                    let sig = (t["sig"] as? String).flatMap(Hex.decode), let result = t["result"] as? String
                else { continue }
                let ctx = (t["ctx"] as? String).flatMap(Hex.decode) ?? []
                cases.append(
                    Case(
                        file: name, tcId: id, comment: t["comment"] as? String ?? "", publicKey: pk, message: msg,
                        context: ctx, signature: sig, valid: result == "valid"))
            }
        }
        return (set, cases)
    }

    static let files = ["wycheproof_mldsa_65_verify.json", "wycheproof_mldsa_87_verify.json"]

    @Test(arguments: files)
    func vectorsVerifyAsPublished(_ file: String) throws {
        let (set, cases) = Self.load(file)
        #expect(cases.count >= 15, "\(file) did not load")
        var accepted = 0
        for c in cases {
            let expected = c.valid && c.context.isEmpty
            let key: MLDSAPublicKey
            do {
                key = try c.publicKey.withUnsafeBytes { try MLDSAPublicKey(set, publicKey: $0) }
            } catch {
                #expect(!expected, "\(c.testDescription): the key was refused: \(error)")
                #expect(c.publicKey.count != set.publicKeyByteCount, "\(c.testDescription)")
                continue
            }
            let whole = c.signature.withUnsafeBytes { sig in
                c.message.withUnsafeBytes { msg in
                    key.isValidSignature(sig, part1: msg, part2: UnsafeRawBufferPointer(start: nil, count: 0))
                }
            }
            #expect(whole == expected, "\(c.testDescription)")
            // The same message given in two parts (authenticatorData || clientDataHash) gets the same verdict.
            let cut = c.message.count / 2
            let split = c.signature.withUnsafeBytes { sig in
                Array(c.message[..<cut]).withUnsafeBytes { a in
                    Array(c.message[cut...]).withUnsafeBytes { b in key.isValidSignature(sig, part1: a, part2: b) }
                }
            }
            #expect(split == expected, "\(c.testDescription) (split)")
            if expected { accepted += 1 }
        }
        #expect(accepted >= 3)
    }

    /// The vectors' keys as COSE AKP keys, parsed and built by the engine's own COSE path: the same verdicts.
    @Test(arguments: files)
    func vectorKeysThroughCOSE(_ file: String) throws {
        let (set, cases) = Self.load(file)
        let alg: COSEAlgorithm = set == .mldsa65 ? .mldsa65 : .mldsa87
        for c in cases where c.publicKey.count == set.publicKeyByteCount {
            var w = CBORWriter()
            w.beginMap(3)
            w.writeInt(1); w.writeInt(COSEKeyType.akp.rawValue)
            w.writeInt(3); w.writeInt(alg.rawValue)
            w.writeInt(-1); w.writeBytes(c.publicKey)
            let cose = w.bytes
            let key = try cose.withUnsafeBytes { bytes throws -> CredentialKey in
                let reader = CBORReader(bytes)
                let parsed = try COSEKey(reader: reader, item: try reader.readSingleItem())
                #expect(parsed.algorithm == alg && parsed.keyType == .akp && parsed.mldsaParameterSet == set)
                return try parsed.makeCredentialKey()
            }
            guard let k = key.mldsaKey else {
                Issue.record("\(c.testDescription): not an ML-DSA key")
                continue
            }
            #expect(k.rawRepresentation == c.publicKey)
            let ok = c.signature.withUnsafeBytes { sig in
                c.message.withUnsafeBytes { msg in
                    k.isValidSignature(sig, part1: msg, part2: UnsafeRawBufferPointer(start: nil, count: 0))
                }
            }
            #expect(ok == (c.valid && c.context.isEmpty), "\(c.testDescription)")
        }
    }
}
