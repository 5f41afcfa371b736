// Writes the committed seed corpora (Fuzz/corpus/<target>/) from real ceremonies made with the soft authenticator.
// Built and run by `scripts/fuzz.sh seeds`; the output is deterministic in shape (keys and signatures are fresh).
import PasskeyJSON
import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn

#if canImport(Glibc)
import Glibc
#endif

@main
enum SeedGen {
    static func main() throws {
        guard CommandLine.arguments.count == 2 else { fuzzFail("usage: seedgen OUTPUT_DIR") }
        let out = CommandLine.arguments[1]
        var seeds: [String: [(String, [UInt8])]] = [:]
        func add(_ target: String, _ name: String, _ bytes: [UInt8]) { seeds[target, default: []].append((name, bytes)) }

        let rp = Fixture.rpID, origin = Fixture.origin, challenge = Fixture.challenge
        let ca = try TestCA()
        var regs: [String: SoftRegistration] = [:]
        var creds: [String: SoftAuthenticator] = [:]

        // Credentials of every key kind; registrations with each attestation format.
        let kinds: [(String, COSEAlgorithm)] = [
            ("es256", .es256), ("es384", .es384), ("es512", .es512), ("es256k", .es256k), ("eddsa", .eddsa),
            ("ed448", .ed448), ("rs256", .rs256), ("ps256", .ps256), ("rs1", .rs1),
        ]
        for (name, alg) in kinds {
            let a = try SoftAuthenticator(algorithm: alg, credentialID: Array(repeating: 0xA0, count: 16))
            creds[name] = a
            add("cose", name, a.cosePublicKey)
            let r = try a.register(rpId: rp, origin: origin, challenge: challenge, attestation: .packedSelf)
            regs["\(name)-packed-self"] = r
        }
        // ML-DSA credentials (AKP keys). Their packed self statements exceed the 4 KiB seed limit (the signature alone
        // is 3,309 / 4,627 bytes), so the registrations are `none`.
        for (name, alg) in [("mldsa65", COSEAlgorithm.mldsa65), ("mldsa87", .mldsa87)] {
            let a = try SoftAuthenticator(algorithm: alg, credentialID: Array(repeating: 0xA0, count: 16))
            creds[name] = a
            add("cose", name, a.cosePublicKey)
            regs["\(name)-none"] = try a.register(rpId: rp, origin: origin, challenge: challenge, attestation: .none)
        }
        let es = creds["es256"]!
        regs["es256-none"] = try es.register(rpId: rp, origin: origin, challenge: challenge, attestation: .none)
        regs["es256-packed-x5c"] = try es.register(
            rpId: rp, origin: origin, challenge: challenge, attestation: .packed(try ca.issueAttestation(algorithm: .es256)))
        regs["es256-packed-x5c-rsa"] = try es.register(
            rpId: rp, origin: origin, challenge: challenge, attestation: .packed(try ca.issueAttestation(algorithm: .rs256)))
        var leaf = TestCA.LeafOptions()
        leaf.aaguid = es.aaguid
        regs["es256-packed-x5c-aaguid"] = try es.register(
            rpId: rp, origin: origin, challenge: challenge, attestation: .packed(try ca.issueAttestation(algorithm: .es256, options: leaf)))
        regs["es256-fido-u2f"] = try es.register(
            rpId: rp, origin: origin, challenge: challenge, attestation: .fidoU2F(try ca.issueAttestation(algorithm: .es256)))
        var ext = SoftCeremonyOptions()
        ext.extensions = cborMap { w in w.writeText("credProtect"); w.writeUnsigned(2) }
        ext.flags = [.userPresent, .userVerified, .backupEligible, .backedUp]
        regs["es256-none-ext-be-bs"] = try es.register(rpId: rp, origin: origin, challenge: challenge, attestation: .none, options: ext)

        for (name, r) in regs.sorted(by: { $0.key < $1.key }) {
            add("attestation", name, r.attestationObject)
            add("authdata", "reg-\(name)", r.authenticatorData)
            if ["es256-packed-x5c", "es256-fido-u2f", "es256-none-ext-be-bs", "rs256-packed-self", "eddsa-packed-self"].contains(name) {
                add("cbor", "attobj-\(name)", r.attestationObject)
            }
        }
        for name in ["es256", "es384", "eddsa", "rs256"] { add("cbor", "cose-\(name)", creds[name]!.cosePublicKey) }

        // Assertions.
        let plain = try es.assert(rpId: rp, origin: origin, challenge: challenge)
        add("authdata", "get-up-uv", plain.authenticatorData)
        var o = SoftCeremonyOptions()
        o.flags = [.userPresent]
        add("authdata", "get-up", try es.assert(rpId: rp, origin: origin, challenge: challenge, options: o).authenticatorData)
        add("authdata", "get-ext", try es.assert(rpId: rp, origin: origin, challenge: challenge, options: ext).authenticatorData)
        o.flags = []
        o.signCount = 0xFFFF_FFFF
        add("authdata", "get-none-maxcount", try es.assert(rpId: rp, origin: origin, challenge: challenge, options: o).authenticatorData)

        // Client data.
        func cd(_ type: String, cross: Bool? = false, top: String? = nil, extra: String = "", origin o: String = origin) -> [UInt8] {
            ClientDataJSON.make(type: type, challenge: challenge, origin: o, crossOrigin: cross, topOrigin: top, extra: extra)
        }
        add("clientdata", "get", plain.clientDataJSON)
        add("clientdata", "get-no-crossorigin", cd("webauthn.get", cross: nil))
        add("clientdata", "get-cross-top", cd("webauthn.get", cross: true, top: "https://top.example"))
        add("clientdata", "get-top-only", cd("webauthn.get", cross: nil, top: "https://evil.example"))
        add("clientdata", "get-extra", cd("webauthn.get", extra: ",\"other_keys_can_be_added_here\":\"do not compare clientDataJSON against a template. See https://goo.gl/yabPex\""))
        add("clientdata", "get-nested", cd("webauthn.get", extra: ",\"tokenBinding\":{\"status\":\"present\",\"id\":\"AAEC\"},\"n\":[1,-2.5e3,true,false,null]"))
        add("clientdata", "get-escaped", Array("{\"type\":\"webauthn\\u002eget\",\"challenge\":\"\(Base64URL.encode(challenge))\",\"origin\":\"https:\\/\\/example.com\",\"x\":\"\\ud83d\\ude00\\n\"}".utf8))
        add("clientdata", "create", cd("webauthn.create"))
        add("clientdata", "get-wrong-origin", cd("webauthn.get", origin: "https://example.com:443"))
        add("clientdata", "get-padded-challenge", Array("{\"type\":\"webauthn.get\",\"challenge\":\"\(Base64URL.encode(challenge))=\",\"origin\":\"\(origin)\"}".utf8))

        // Hand-made CBOR covering the types WebAuthn does not use.
        add("cbor", "floats", cborArray(3) { w in w.writeRaw([0xF9, 0x3C, 0x00]); w.writeFloat(1.5); w.writeDouble(-0.1) })
        add("cbor", "tags-simple", cborArray(6) { w in
            w.writeTag(1); w.writeUnsigned(1_700_000_000); w.writeBool(true); w.writeNull(); w.writeUndefined()
            w.writeSimple(32); w.writeInt(-1 << 40)
        })
        add("cbor", "nested", cborMap { w in
            w.writeInt(-3); w.beginArray(2); w.beginMap(1); w.writeText("a"); w.beginArray(0); w.writeBytes([1, 2, 3])
        })
        add("cbor", "text-utf8", cborArray(2) { w in w.writeText("héllo ✓ 😀"); w.writeUnsigned(UInt64.max) })

        // Wire frames (5-byte header + protobuf Request), end to end through the executor.
        var inline = ProtoWriter(); inline.string(2, rp); inline.string(3, origin)
        var named = ProtoWriter(); named.string(1, "main")
        func authRequest(_ policy: ProtoWriter, json: Bool, assertion a: SoftAssertion = plain) -> ProtoWriter {
            var m = ProtoWriter()
            m.message(1, policy); m.data(2, challenge); m.data(3, es.cosePublicKey); m.uint(4, 0)
            if json {
                m.data(8, a.json)
            } else {
                var f = ProtoWriter()
                f.data(1, a.credentialID); f.data(2, a.authenticatorData); f.data(3, a.clientDataJSON); f.data(4, a.signature)
                m.message(7, f)
            }
            return m
        }
        func regRequest(_ policy: ProtoWriter, _ r: SoftRegistration, json: Bool) -> ProtoWriter {
            var m = ProtoWriter()
            m.message(1, policy); m.data(2, challenge)
            if json {
                m.data(4, r.json)
            } else {
                var f = ProtoWriter()
                f.data(1, r.credentialID); f.data(2, r.clientDataJSON); f.data(3, r.attestationObject); f.string(4, "usb")
                m.message(3, f)
            }
            return m
        }
        func request(_ id: UInt64, _ field: Int, _ body: ProtoWriter) -> [UInt8] {
            var r = ProtoWriter(); r.uint(1, id); r.uint(2, 5000); r.message(field, body)
            return r.frame
        }
        let empty = ProtoWriter()
        add("frame", "health", request(1, 14, empty))
        add("frame", "server-info", request(2, 15, empty))
        add("frame", "auth-fields-inline", request(3, 11, authRequest(inline, json: false)))
        add("frame", "auth-json-named", request(4, 11, authRequest(named, json: true)))
        var batch = ProtoWriter()
        batch.message(1, authRequest(inline, json: false)); batch.message(1, authRequest(named, json: true))
        add("frame", "auth-batch", request(5, 12, batch))
        add("frame", "reg-fields-inline", request(6, 10, regRequest(inline, regs["es256-packed-x5c"]!, json: false)))
        add("frame", "reg-json-named", request(7, 10, regRequest(named, regs["es256-none"]!, json: true)))
        var rbatch = ProtoWriter()
        rbatch.message(1, regRequest(inline, regs["eddsa-packed-self"]!, json: false))
        add("frame", "reg-batch", request(8, 13, rbatch))
        var fullPolicy = ProtoWriter()
        fullPolicy.string(2, rp); fullPolicy.string(3, origin); fullPolicy.uint(5, 1); fullPolicy.sint(7, -7)
        fullPolicy.sint(7, -8); fullPolicy.uint(8, 1); fullPolicy.string(9, "https://top.example"); fullPolicy.uint(10, 1)
        fullPolicy.uint(13, 2048); fullPolicy.data(14, ca.root.derBytes); fullPolicy.uint(15, 1_800_000_000)
        add("frame", "auth-full-policy", request(9, 11, authRequest(fullPolicy, json: false)))
        add("frame", "pipelined", request(10, 14, empty) + request(11, 11, authRequest(inline, json: false)) + request(12, 15, empty))
        var unknown = ProtoWriter(); unknown.uint(1, 13); unknown.uint(99, 1)
        add("frame", "unknown-method", unknown.frame)

        // Differential recipes: 4-byte records [op|field, pos hi, pos lo, value].
        add("differential", "unmodified", [])
        add("differential", "xor-authdata-flags", [0, 0, 32, 0x01])
        add("differential", "xor-authdata-count", [0, 0, 36, 0x01])
        add("differential", "xor-clientdata", [1, 0, 10, 0x20])
        add("differential", "xor-signature", [2, 0, 5, 0x80])
        add("differential", "truncate-signature", [2 | 8, 0, 70, 0])
        add("differential", "insert-clientdata", [1 | 12, 0, 1, 0x20])
        add("differential", "all-fields", [3, 0, 1, 0x01, 0, 0, 0, 0x00])

        for (target, files) in seeds {
            let dir = "\(out)/\(target)"
            mkdir(dir, 0o755)
            precondition(files.count <= 30, "\(target): too many seeds")
            for (name, bytes) in files {
                guard let f = fopen("\(dir)/\(name)", "wb") else { fuzzFail("cannot write \(dir)/\(name)") }
                _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
                fclose(f)
            }
            print("\(target): \(files.count) seeds")
        }
    }

    static func cborMap(_ body: (inout CBORWriter) -> Void) -> [UInt8] {
        var w = CBORWriter(); w.beginMap(1); body(&w); return w.bytes
    }

    static func cborArray(_ n: Int, _ body: (inout CBORWriter) -> Void) -> [UInt8] {
        var w = CBORWriter(); w.beginArray(n); body(&w); return w.bytes
    }
}
