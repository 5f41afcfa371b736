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

        regs["es256-android-key"] = try es.register(
            rpId: rp, origin: origin, challenge: challenge, attestation: .androidKey(ca: try ca.intermediate(name: "Android CA")))
        regs["rs256-android-key"] = try creds["rs256"]!.register(
            rpId: rp, origin: origin, challenge: challenge, attestation: .androidKey(ca: ca))
        regs["es256-apple"] = try es.register(
            rpId: rp, origin: origin, challenge: challenge, attestation: .apple(ca: try ca.intermediate(name: "Anon CA")))

        // Android key descriptions (target keydescription) and SafetyNet compact JWS (target jws).
        let hash = (0..<32).map { UInt8($0 &* 3) }
        var kd = AndroidKeyAttestationOptions()
        add("keydescription", "tee", kd.keyDescription(clientDataHash: hash))
        kd.attestationSecurityLevel = 2
        kd.keymasterSecurityLevel = 2
        kd.attestationVersion = 400
        add("keydescription", "strongbox-v400", kd.keyDescription(clientDataHash: hash))
        kd = AndroidKeyAttestationOptions()
        kd.hardwareEnforced = SoftAuthorizationList()
        kd.softwareEnforced = SoftAuthorizationList(purposes: [2, 3], origin: 0)
        kd.attestationSecurityLevel = 0
        add("keydescription", "software-only", kd.keyDescription(clientDataHash: hash))
        kd = AndroidKeyAttestationOptions()
        kd.softwareEnforced.allApplications = true
        kd.hardwareEnforced.otherFields += [(724, SoftDER.sequence([SoftDER.octetString([1, 2, 3])])), (100_000, SoftDER.null)]
        kd.uniqueId = Array(repeating: 0x5A, count: 16)
        add("keydescription", "all-applications-future-tags", kd.keyDescription(clientDataHash: hash))
        let gts = try ca.intermediate(name: "GTS-like CA")
        let snTime: Int64 = 1_700_000_000_000
        add("jws", "rs256", try SoftAttestation.safetyNetJWS(
            signer: try gts.issueSafetyNetSigner(algorithm: .rs256), options: SafetyNetAttestationOptions(timestampMs: snTime), nonce: hash))
        let ecSigner = try gts.issueSafetyNetSigner(algorithm: .es256)
        add("jws", "es256", try SoftAttestation.safetyNetJWS(
            signer: ecSigner, options: SafetyNetAttestationOptions(timestampMs: snTime), nonce: hash))
        var sn = SafetyNetAttestationOptions(timestampMs: snTime)
        sn.ctsProfileMatch = false
        sn.basicIntegrity = nil
        sn.x5c = [ecSigner.chain[0].derBytes]
        add("jws", "es256-cts-false-one-cert", try SoftAttestation.safetyNetJWS(signer: ecSigner, options: sn, nonce: hash))

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
        // Options: registration with a user, excluded credentials, extensions and an options policy; a usernameless
        // authentication with prf per credential and a named policy.
        var optionsPolicy = ProtoWriter()
        optionsPolicy.string(1, "Example"); optionsPolicy.string(4, "required"); optionsPolicy.string(9, "security-key")
        optionsPolicy.sint(10, -49); optionsPolicy.sint(10, -7)
        var optionsInline = inline; optionsInline.message(22, optionsPolicy); optionsInline.string(23, "https://example.com/appid")
        var user = ProtoWriter(); user.data(1, [1, 2, 3, 4]); user.string(2, "alice"); user.string(3, "Alice")
        var descriptor = ProtoWriter(); descriptor.data(1, es.credentialID); descriptor.string(2, "usb")
        var prfValues = ProtoWriter(); prfValues.data(1, [7, 7, 7])
        var prf = ProtoWriter(); prf.message(1, prfValues)
        var credProtect = ProtoWriter(); credProtect.string(1, "userVerificationRequired"); credProtect.uint(2, 1)
        var regExtensions = ProtoWriter(); regExtensions.message(1, prf); regExtensions.message(3, credProtect)
        var regOptions = ProtoWriter()
        regOptions.message(1, optionsInline); regOptions.message(2, user); regOptions.message(3, descriptor)
        regOptions.data(4, Array("session".utf8)); regOptions.message(5, regExtensions)
        add("frame", "options-registration", request(13, 16, regOptions))
        var byCredential = ProtoWriter(); byCredential.data(1, es.credentialID); byCredential.message(2, prfValues)
        var prfAuth = ProtoWriter(); prfAuth.message(2, byCredential)
        var blob = ProtoWriter(); blob.uint(2, 1)
        var authExtensions = ProtoWriter(); authExtensions.message(1, prfAuth); authExtensions.message(2, blob)
        var authOptions = ProtoWriter()
        authOptions.message(1, named); authOptions.message(2, descriptor); authOptions.message(4, authExtensions)
        add("frame", "options-authentication", request(14, 17, authOptions))
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

        // tpm: registrations for `attestation`, and the structures inside them for `tpm` (selector byte first).
        try tpmSeeds(ca: ca, creds: creds, add: add)
        // FIDO MDS3 BLOB payloads from TestMetadataBLOB, and two whole BLOBs (ES256 and RS256, chain in x5c).
        let vendor = try TestCA(name: "Vendor Root")
        var fido2 = TestMetadataBLOB.Entry(aaguid: Array(0x40..<0x50), roots: [vendor.root])
        fido2.statuses = [("FIDO_CERTIFIED_L1", "2023-01-01"), ("ATTESTATION_KEY_COMPROMISE", "2025-02-28")]
        var u2f = TestMetadataBLOB.Entry(aaguid: nil, keyIdentifiers: [Array(repeating: 0xAB, count: 20), Array(0..<20)])
        u2f.statuses = [("FIDO_CERTIFIED", nil)]
        let mds = try TestMetadataBLOB(entries: [fido2, u2f])
        add("mdsblob", "payload-fido2-u2f", mds.payloadJSON())
        var twin = TestMetadataBLOB.Entry(aaguid: Array(0x40..<0x50))
        twin.statuses = [("REVOKED", "2025-01-01"), ("SOME_FUTURE_STATUS", "2030-01-01")]
        twin.hasStatement = false
        mds.entries = [fido2, twin, u2f]
        mds.entries[0].roots = []
        add("mdsblob", "payload-duplicates-unknown-status", mds.payloadJSON())
        var uaf = TestMetadataBLOB.Entry(aaguid: nil)
        uaf.aaid = "4e4e#4005"
        uaf.timeOfLastStatusChange = "2024-02-29"
        mds.entries = [uaf]
        add("mdsblob", "payload-uaf", mds.payloadJSON())
        mds.entries = [twin]
        add("mdsblob", "blob-es256", try mds.jwt())
        var rs = TestMetadataBLOB.Options()
        rs.algorithm = "RS256"
        rs.omitIntermediate = true
        add("mdsblob", "blob-rs256-leaf-only", try mds.jwt(rs))

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

    /// Seeds of the `tpm` target (Fuzz/tpm.swift: 0 certInfo, 1 pubArea, 2 AIK subjectAltName, 3 extendedKeyUsage)
    /// and tpm registrations for `attestation`, all from the soft TPM (SoftAttestation+TPM.swift).
    static func tpmSeeds(ca: TestCA, creds: [String: SoftAuthenticator], add: (String, String, [UInt8]) -> Void) throws {
        let issuer = try ca.intermediate(name: "passkeyd Test TPM AIK CA")
        let rsaAIK = try PrivateKey.generateRSA(bits: 2048), ecAIK = try PrivateKey.generateEC(.p256)
        let cases: [(String, SoftAuthenticator, PrivateKey, COSEAlgorithm, UInt16)] = [
            ("rs256", creds["rs256"]!, rsaAIK, .rs256, 0x000B), ("es256", creds["es256"]!, ecAIK, .es256, 0x000B),
            ("es384-sha1", creds["es384"]!, rsaAIK, .rs1, 0x0004),
        ]
        for (name, auth, aik, alg, nameAlg) in cases {
            var options = TPMAttestationOptions()
            options.nameAlg = nameAlg
            let reg = try auth.register(
                rpId: Fixture.rpID, origin: Fixture.origin, challenge: Fixture.challenge,
                attestation: .tpm(issuer: issuer, aik: aik, algorithm: alg, options: options))
            add("attestation", "\(name)-tpm", reg.attestationObject)
            let clientDataHash = SignatureVerifier().digest(.sha256, reg.clientDataJSON)
            let parts = try SoftTPM.statement(
                authenticator: auth, authData: reg.authenticatorData, clientDataHash: clientDataHash, issuer: issuer,
                aik: aik, algorithm: alg, options: options)
            add("tpm", "certinfo-\(name)", [0] + parts.certInfo)
            add("tpm", "pubarea-\(name)", [1] + parts.pubArea)
        }
        add("tpm", "san-per-rdn", [2] + SoftTPM.subjectAltName(manufacturer: "id:494E5443", model: "ICL", version: "id:00020000", multiValued: false))
        add("tpm", "san-multi-valued", [2] + SoftTPM.subjectAltName(manufacturer: "id:4E544300", model: "NPCT6xx", version: "id:13", multiValued: true))
        add("tpm", "eku-aik", [3] + SoftTPM.extendedKeyUsage(["2.23.133.8.3"]))
        add("tpm", "eku-two", [3] + SoftTPM.extendedKeyUsage(["1.3.6.1.4.1.311.21.36", "2.23.133.8.3"]))
    }

    static func cborMap(_ body: (inout CBORWriter) -> Void) -> [UInt8] {
        var w = CBORWriter(); w.beginMap(1); body(&w); return w.bytes
    }

    static func cborArray(_ n: Int, _ body: (inout CBORWriter) -> Void) -> [UInt8] {
        var w = CBORWriter(); w.beginArray(n); body(&w); return w.bytes
    }
}
