import PasskeyJSON
import PasskeyCOSE
import Foundation
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// Runs the real `passkeyd verify` executable (built next to the test bundle) and checks output and exit status.
@Suite struct CLITests {
    static var binary: URL? {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("passkeyd")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    func run(_ request: String, arguments: [String] = ["verify"]) throws -> (status: Int32, stdout: String) {
        let binary = try #require(Self.binary, "passkeyd executable not found next to the test bundle")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("passkeyd-req-\(UUID().uuidString).json")
        try Data(request.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments + [file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `passkeyd options`: the options for a request, then `passkeyd verify` of the ceremony they started, with the
    /// printed challenge as the expected bytes.
    @Test func optionsThenVerify() throws {
        let rp = "\"rp_id\":\"\(rpId)\",\"origins\":[\"\(origin)\"],\"options\":{\"rp_name\":\"Example\",\"algorithms\":[-8,-7]}"
        let out = try run("{\(rp),\"user\":{\"id_b64url\":\"AQID\",\"name\":\"alice\"}}", arguments: ["options", "registration"])
        #expect(out.status == 0, "\(out.stdout)")
        let bytes = Array(out.stdout.utf8)
        let (challenge, algs): ([UInt8], [Int64]) = try bytes.withUnsafeBytes { b in
            var r = JSONReader()
            let root = try r.parse(b)
            let c = Base64URL.decode(r.string(r.member(root, "challenge_b64url")!)!)!
            var algs: [Int64] = []
            r.forEachElement(r.member(r.member(root, "options")!, "pubKeyCredParams")!) { algs.append(r.int64(r.member($0, "alg")!)!) }
            return (c, algs)
        }
        #expect(challenge.count == 66 && algs == [-8, -7])
        let auth = try KeyBank.authenticator(.eddsa)
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge)
        let verified = try run(
            "{\"kind\":\"registration\",\(rp),\"challenge_b64url\":\"\(Base64URL.encode(challenge))\",\"response\":\(String(decoding: reg.json, as: UTF8.self))}")
        #expect(verified.status == 0 && verified.stdout.contains("\"extensions\":{}"), "\(verified.stdout)")
        let refused = try run("{\(rp),\"user\":{\"id_b64url\":\"\",\"name\":\"a\"}}", arguments: ["options", "registration"])
        #expect(refused.status == 2 && refused.stdout.contains("\"code\":\"malformed_request\""))
        let unknown = try run("{\(rp),\"user\":{\"id_b64url\":\"AQ\",\"name\":\"a\"}}", arguments: ["options", "authentication"])
        #expect(unknown.status == 2 && unknown.stdout.contains("unknown members: user"))
    }

    @Test func exitStatuses() throws {
        let challenge = SoftRandom.bytes(16)
        let auth = try KeyBank.authenticator(.es256)
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge)
        let base = "\"kind\":\"registration\",\"rp_id\":\"\(rpId)\",\"origins\":[\"\(origin)\"],\"response\":\(String(decoding: reg.json, as: UTF8.self))"
        let ok = try run("{\(base),\"challenge_b64url\":\"\(Base64URL.encode(challenge))\"}")
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("\"ok\":true"))
        #expect(ok.stdout.contains("\"credential_id_b64url\":\"\(Base64URL.encode(auth.credentialID))\""))
        let rejected = try run("{\(base),\"challenge_b64url\":\"\(Base64URL.encode(SoftRandom.bytes(16)))\"}")
        #expect(rejected.status == 1)
        #expect(rejected.stdout.contains("\"code\":\"challenge_mismatch\""))
        let unusable = try run("{\"kind\":")
        #expect(unusable.status == 2)
        #expect(unusable.stdout.contains("\"ok\":false"))
    }

    /// `passkeyd verify` with ML-DSA credentials: a packed self registration, then an assertion with the returned key.
    @Test(arguments: [COSEAlgorithm.mldsa65, .mldsa87])
    func mldsaRegistrationThenAuthentication(_ alg: COSEAlgorithm) throws {
        let challenge = SoftRandom.bytes(16)
        let auth = try KeyBank.authenticator(alg)
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packedSelf)
        let common = "\"rp_id\":\"\(rpId)\",\"origins\":[\"\(origin)\"],\"challenge_b64url\":\"\(Base64URL.encode(challenge))\""
        let registered = try run("{\"kind\":\"registration\",\(common),\"response\":\(String(decoding: reg.json, as: UTF8.self))}")
        #expect(registered.status == 0, "\(registered.stdout)")
        #expect(registered.stdout.contains("\"alg\":\(alg.rawValue)"))
        #expect(registered.stdout.contains("\"credential_public_key_b64url\":\"\(Base64URL.encode(auth.cosePublicKey))\""))
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        let login = """
            {"kind":"authentication",\(common),"response":\(String(decoding: a.json, as: UTF8.self)),\
            "credential_public_key_b64url":"\(Base64URL.encode(auth.cosePublicKey))","stored_sign_count":0}
            """
        let authenticated = try run(login)
        #expect(authenticated.status == 0, "\(authenticated.stdout)")
        #expect(authenticated.stdout.contains("\"ok\":true"))
        var forged = a
        forged.signature[0] ^= 1
        let refused = try run(login.replacingOccurrences(of: Base64URL.encode(a.signature), with: Base64URL.encode(forged.signature)))
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("\"code\":\"bad_signature\""))
    }
}
