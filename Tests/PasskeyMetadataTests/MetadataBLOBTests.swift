import Foundation
import PasskeyCrypto
import PasskeyMetadata
import PasskeySoftAuthenticator
import Testing

/// `MetadataBLOB.load`: a valid BLOB and one mutation per check, each refused with that check's own code.
@Suite struct MetadataBLOBTests {
    static let now: Int64 = 1_780_000_000  // 2026-05-28
    let aaguid: [UInt8] = Array(0x40..<0x50)
    let u2fKeyID: [UInt8] = Array(repeating: 0xAB, count: 20)

    func makeBLOB(signerNotAfter: Int64 = 4_000_000_000) throws -> TestMetadataBLOB {
        let attestationCA = try TestCA(name: "vendor attestation root")
        var fido2 = TestMetadataBLOB.Entry(aaguid: aaguid, roots: [attestationCA.root])
        fido2.description = "Test Key \"FIDO2\""
        fido2.statuses = [("FIDO_CERTIFIED", "2023-01-01"), ("FIDO_CERTIFIED_L2", "2024-02-29")]
        var u2f = TestMetadataBLOB.Entry(aaguid: nil, keyIdentifiers: [u2fKeyID])
        u2f.description = "Test U2F key"
        u2f.attestationTypes = ["basic_full"]
        let blob = try TestMetadataBLOB(entries: [fido2, u2f], signerNotAfter: signerNotAfter)
        blob.number = 42
        blob.nextUpdate = "2026-07-01"
        return blob
    }

    func load(
        _ blob: TestMetadataBLOB, _ options: TestMetadataBLOB.Options = .init(), roots: [Certificate]? = nil,
        crls: [RevocationList] = [], at time: Int64 = now, minimumNumber: Int? = nil,
        limits: MetadataBLOB.Limits = .default
    ) throws -> MetadataIndex {
        try MetadataBLOB.load(
            try blob.jwt(options), roots: roots ?? [blob.root.root], revocationLists: crls, at: time,
            minimumNumber: minimumNumber, limits: limits)
    }

    /// Expects `body` to throw a MetadataError with `code` and a message.
    @discardableResult
    func expectCode(
        _ code: MetadataError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) -> MetadataError? {
        do {
            try body()
            Issue.record("expected \(code.rawValue), but the BLOB loaded", sourceLocation: sourceLocation)
        } catch let e as MetadataError {
            #expect(e.code == code, "expected \(code.rawValue), got \(e)", sourceLocation: sourceLocation)
            #expect(!e.message.isEmpty, sourceLocation: sourceLocation)
            return e
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    // MARK: - Valid BLOBs

    @Test func validBLOBLoadsAndIndexes() throws {
        let blob = try makeBLOB()
        let index = try load(blob)
        #expect(index.count == 2 && index.number == 42 && index.nextUpdate == "2026-07-01")
        #expect(index.legalHeader == blob.legalHeader)
        #expect(index.provenance == .verified(algorithm: "ES256", signer: "C=US, O=passkeyd tests, CN=mds.test"))
        let e = try #require(index.entry(aaguid: aaguid))
        #expect(e.description == "Test Key \"FIDO2\"" && e.positions == [0])
        #expect(e.certificationLevel == .fidoCertifiedL2 && e.latestStatus == .fidoCertifiedL2)
        #expect(e.attestationTypes == ["basic_full"] && e.timeOfLastStatusChange == "2024-01-01")
        #expect(e.attestationRootCertificates.map(\.derBytes) == blob.entries[0].roots.map(\.derBytes))
        #expect(e.rootVerifier != nil)
        let u = try #require(index.entry(attestationCertificateKeyIdentifier: u2fKeyID))
        #expect(u.description == "Test U2F key" && u.aaguid == nil && u.positions == [1])
        #expect(index.entry(aaguid: Array(repeating: 0, count: 16)) == nil)
        #expect(index.entry(attestationCertificateKeyIdentifier: Array(repeating: 0xCD, count: 20)) == nil)
        #expect(index.isStale(at: Self.now) == false && index.isStale(at: 1_782_864_000))
    }

    @Test(arguments: ["ES256", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"])
    func everyAllowedAlgorithm(_ alg: String) throws {
        let blob = try makeBLOB()
        var o = TestMetadataBLOB.Options()
        o.algorithm = alg
        #expect(try load(blob, o).provenance != .unchecked)
    }

    @Test func withCurrentRevocationListsThatRevokeNothing() throws {
        let blob = try makeBLOB()
        #expect(try load(blob, crls: blob.revocationLists()).count == 2)
    }

    @Test func trailingNewlineAndNoTyp() throws {
        let blob = try makeBLOB()
        var o = TestMetadataBLOB.Options()
        o.typ = nil
        let index = try MetadataBLOB.load(try blob.jwt(o) + [0x0A], roots: [blob.root.root], at: Self.now)
        #expect(index.count == 2)
    }

    /// MDS3 §3.2 step 5: without x5c, the configured trust anchor is the signing certificate.
    @Test func withoutX5CTheRootSignsItself() throws {
        let blob = try makeBLOB()
        var o = TestMetadataBLOB.Options()
        o.includeChain = false
        #expect(try load(blob, o, roots: [blob.signingCertificate]).provenance != .unchecked)
        // The FIDO root did not sign it.
        expectCode(.badSignature) { _ = try load(blob, o) }
        // A root past its validity cannot sign.
        expectCode(.certificateExpired) { _ = try load(blob, o, roots: [blob.signingCertificate], at: 4_000_000_001) }
    }

    // MARK: - One mutation per check

    @Test func badSignature() throws {
        let blob = try makeBLOB()
        var o = TestMetadataBLOB.Options()
        o.corruptSignature = true
        expectCode(.badSignature) { _ = try load(blob, o) }
        o.algorithm = "RS256"
        expectCode(.badSignature) { _ = try load(blob, o) }
        // A signed payload with one byte changed after signing.
        var jwt = try blob.jwt()
        let dots = jwt.indices.filter { jwt[$0] == UInt8(ascii: ".") }
        jwt[dots[0] + 5] = jwt[dots[0] + 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        expectCode(.badSignature) { _ = try MetadataBLOB.load(jwt, roots: [blob.root.root], at: Self.now) }
    }

    @Test func ecdsaSignatureOfTheWrongLength() throws {
        let blob = try makeBLOB()
        let good = try blob.jwt()
        let last = try #require(good.lastIndex(of: UInt8(ascii: ".")))
        let jwt = Array(good[...last]) + Array(String(repeating: "AAAA", count: 21).utf8)  // 63 bytes, not 64
        let e = expectCode(.badSignature) { _ = try MetadataBLOB.load(jwt, roots: [blob.root.root], at: Self.now) }
        #expect(e?.message.contains("r || s") == true)
    }

    @Test func chainNotToTheRoot() throws {
        let blob = try makeBLOB()
        let other = try TestCA(name: "passkeyd Test MDS Root")  // same name, other key
        expectCode(.untrustedChain) { _ = try load(blob, roots: [other.root]) }
        var o = TestMetadataBLOB.Options()
        o.omitIntermediate = true
        expectCode(.untrustedChain) { _ = try load(blob, o) }
    }

    @Test func signerRevokedByTheCRL() throws {
        let blob = try makeBLOB()
        let e = expectCode(.certificateRevoked) { _ = try load(blob, crls: blob.revocationLists(revokingSigner: true)) }
        #expect(e?.message.contains("revoked") == true)
        // Without CRLs nothing is checked for revocation.
        #expect(try load(blob).count == 2)
    }

    @Test func revocationCannotBeDecided() throws {
        let blob = try makeBLOB()
        let lists = try blob.revocationLists()
        expectCode(.revocationUnknown) { _ = try load(blob, crls: [lists[1]]) }  // no list from the intermediate
        let stale = try blob.revocationLists(thisUpdate: 1_700_000_000, nextUpdate: Self.now - 1)
        expectCode(.revocationUnknown) { _ = try load(blob, crls: stale) }
    }

    @Test func expiredAtTheVerificationTime() throws {
        let blob = try makeBLOB(signerNotAfter: Self.now - 1)
        let e = expectCode(.certificateExpired) { _ = try load(blob) }
        #expect(e?.message.contains("expired") == true)
        #expect(try load(blob, at: Self.now - 86_400).count == 2)
        let early = try makeBLOB()
        expectCode(.certificateExpired) { _ = try load(early, at: 1_500_000_000) }
    }

    @Test(arguments: ["none", "HS256", "RS1", "ES256K", "EdDSA", "es256", ""])
    func algorithmNotAllowed(_ alg: String) throws {
        let blob = try makeBLOB()
        var o = TestMetadataBLOB.Options()
        o.algorithm = alg
        expectCode(.unsupportedAlgorithm) { _ = try load(blob, o) }
    }

    @Test func algorithmThatDoesNotFitTheKey() throws {
        let blob = try makeBLOB()
        var o = TestMetadataBLOB.Options()
        o.algorithm = "ES384"  // signed with the P-256 key
        expectCode(.algorithmKeyMismatch) { _ = try load(blob, o) }
    }

    @Test func malformedJWS() throws {
        let blob = try makeBLOB()
        let good = try blob.jwt()
        let roots = [blob.root.root]
        let dots = good.indices.filter { good[$0] == UInt8(ascii: ".") }
        let header = Array(good[..<dots[0]])
        let rest = Array(good[dots[0]...])  // ".payload.signature"
        let cases: [[UInt8]] = [
            Array(good[..<dots[1]]),  // two parts
            good + Array(".x".utf8),  // four parts
            header + Array("+".utf8) + rest,  // a byte outside base64url
            header + Array(".".utf8) + Array(good[dots[1]...]),  // empty payload
            Array("e30".utf8) + rest,  // header {} without alg
            Array("W10".utf8) + rest,  // header []
            Array("eyJhbGciOiJFUzI1NiIsImFsZyI6IkVTMjU2In0".utf8) + rest,  // alg twice
            Array("eyJhbGciOiJFUzI1NiJ9A".utf8) + rest,  // not canonical base64url
        ]
        for c in cases {
            expectCode(.malformedJWS) { _ = try MetadataBLOB.load(c, roots: roots, at: Self.now) }
        }
        for (extra, label) in [("\"crit\":[\"b64\"]", "crit"), ("\"x5u\":\"https://mds3.fidoalliance.org/x5u\"", "x5u")] {
            var o = TestMetadataBLOB.Options()
            o.extraHeaderMembers = extra
            let e = expectCode(.malformedJWS) { _ = try load(blob, o) }
            #expect(e?.message.contains(label) == true)
        }
        var o = TestMetadataBLOB.Options()
        o.typ = "JOSE"
        expectCode(.malformedJWS) { _ = try load(blob, o) }
        o = TestMetadataBLOB.Options()
        o.x5c = ["not base64!"]
        expectCode(.malformedJWS) { _ = try load(blob, o) }
        o.x5c = []
        expectCode(.malformedJWS) { _ = try load(blob, o) }
    }

    @Test func x5cWithEscapedSlashesReadsLikeThePlainSpelling() throws {
        let blob = try makeBLOB()
        var o = TestMetadataBLOB.Options()
        o.x5c = [blob.signingCertificate, blob.intermediate.root].map { TestMetadataBLOB.base64($0.derBytes) }
        #expect(try load(blob, o).count == 2)
        // The same certificates with every '/' written "\/" (JSON allows it); JSONWriter would not write that.
        let header = "{\"alg\":\"ES256\",\"x5c\":[" + o.x5c!.map { "\"" + $0.replacingOccurrences(of: "/", with: "\\/") + "\"" }.joined(separator: ",") + "]}"
        let good = try blob.jwt(o)
        let dot = try #require(good.firstIndex(of: UInt8(ascii: ".")))
        let second = try #require(good[(dot + 1)...].firstIndex(of: UInt8(ascii: ".")))
        let signingInput = base64url(Array(header.utf8)) + "." + String(decoding: good[(dot + 1)..<second], as: UTF8.self)
        // Re-sign: the header changed.
        let der = try blob.signingKey.sign(Array(signingInput.utf8), scheme: .ecdsa(.sha256))
        let jwt = Array((signingInput + "." + base64url(try rawSignature(der))).utf8)
        #expect(o.x5c!.contains { $0.contains("/") }, "no '/' to escape in this run's certificates")
        #expect(try MetadataBLOB.load(jwt, roots: [blob.root.root], at: Self.now).count == 2)
    }

    @Test func x5cThatIsNotACertificate() throws {
        let blob = try makeBLOB()
        var o = TestMetadataBLOB.Options()
        o.x5c = [TestMetadataBLOB.base64(Array("not a certificate".utf8))]
        expectCode(.invalidCertificate) { _ = try load(blob, o) }
    }

    @Test func noTrustAnchorConfigured() throws {
        let blob = try makeBLOB()
        expectCode(.noTrustAnchor) { _ = try load(blob, roots: []) }
    }

    @Test func malformedPayload() throws {
        let blob = try makeBLOB()
        for bad in ["not json", "{\"no\":1,\"no\":2}", "{\"a\":1", "{\"legalHeader\":\"\\ud800\"}"] {
            var o = TestMetadataBLOB.Options()
            o.payload = Array(bad.utf8)
            expectCode(.malformedPayload) { _ = try load(blob, o) }
        }
    }

    @Test func payloadOfTheWrongShape() throws {
        let blob = try makeBLOB()
        let header = "\"legalHeader\":\"l\",\"no\":1,\"nextUpdate\":\"2026-07-01\""
        let entry = "\"aaguid\":\"40414243-4445-4647-4849-4a4b4c4d4e4f\",\"timeOfLastStatusChange\":\"2024-01-01\""
        let shapes = [
            "[]",
            "{\"no\":1,\"nextUpdate\":\"2026-07-01\",\"entries\":[]}",  // no legalHeader
            "{\"legalHeader\":\"l\",\"nextUpdate\":\"2026-07-01\",\"entries\":[]}",  // no no
            "{\"legalHeader\":\"l\",\"no\":-1,\"nextUpdate\":\"2026-07-01\",\"entries\":[]}",
            "{\"legalHeader\":\"l\",\"no\":1.5,\"nextUpdate\":\"2026-07-01\",\"entries\":[]}",
            "{\"legalHeader\":\"l\",\"no\":1,\"nextUpdate\":\"2026-02-30\",\"entries\":[]}",
            "{\"legalHeader\":\"l\",\"no\":1,\"nextUpdate\":\"2026-7-1\",\"entries\":[]}",
            "{\(header)}",  // no entries
            "{\(header),\"entries\":{}}",
            "{\(header),\"entries\":[1]}",
            "{\(header),\"entries\":[{\"statusReports\":[],\"timeOfLastStatusChange\":\"2024-01-01\"}]}",  // names nothing
            "{\(header),\"entries\":[{\(entry)}]}",  // no statusReports
            "{\(header),\"entries\":[{\(entry),\"statusReports\":{}}]}",
            "{\(header),\"entries\":[{\(entry),\"statusReports\":[{}]}]}",  // report without status
            "{\(header),\"entries\":[{\(entry),\"statusReports\":[{\"status\":1}]}]}",
            "{\(header),\"entries\":[{\(entry),\"statusReports\":[{\"status\":\"REVOKED\",\"effectiveDate\":\"yesterday\"}]}]}",
            "{\(header),\"entries\":[{\(entry),\"statusReports\":[{\"status\":\"REVOKED\",\"authenticatorVersion\":-1}]}]}",
            "{\(header),\"entries\":[{\(entry),\"statusReports\":[{\"status\":\"REVOKED\",\"certificate\":\"@@@@\"}]}]}",
            "{\(header),\"entries\":[{\"aaguid\":\"40414243-4445-4647-4849-4a4b4c4d4e4f\",\"statusReports\":[]}]}",  // no time
            "{\(header),\"entries\":[{\"aaguid\":\"4041424344454647-4849-4a4b4c4d4e4f\",\"statusReports\":[],\"timeOfLastStatusChange\":\"2024-01-01\"}]}",
            "{\(header),\"entries\":[{\"attestationCertificateKeyIdentifiers\":[\"abcd\"],\"statusReports\":[],\"timeOfLastStatusChange\":\"2024-01-01\"}]}",
            "{\(header),\"entries\":[{\"attestationCertificateKeyIdentifiers\":\"ab\",\"statusReports\":[],\"timeOfLastStatusChange\":\"2024-01-01\"}]}",
            "{\(header),\"entries\":[{\(entry),\"statusReports\":[],\"metadataStatement\":[]}]}",
            "{\(header),\"entries\":[{\(entry),\"statusReports\":[],\"metadataStatement\":{\"description\":7}}]}",
            "{\(header),\"entries\":[{\(entry),\"statusReports\":[],\"metadataStatement\":{\"attestationRootCertificates\":[\"AAA\"]}}]}",
            "{\(header),\"entries\":[{\(entry),\"statusReports\":[],\"metadataStatement\":{\"attestationTypes\":[1]}}]}",
        ]
        for (i, shape) in shapes.enumerated() {
            var o = TestMetadataBLOB.Options()
            o.payload = Array(shape.utf8)
            let e = expectCode(.invalidPayload) { _ = try load(blob, o) }
            if e == nil { Issue.record("shape \(i) loaded: \(shape)") }
        }
    }

    @Test func oversized() throws {
        let blob = try makeBLOB()
        let jwt = try blob.jwt()
        var limits = MetadataBLOB.Limits()
        limits.maxBLOBBytes = jwt.count - 1
        expectCode(.tooLarge) { _ = try MetadataBLOB.load(jwt, roots: [blob.root.root], at: Self.now, limits: limits) }
        limits = MetadataBLOB.Limits()
        limits.maxHeaderBytes = 100
        expectCode(.tooLarge) { _ = try MetadataBLOB.load(jwt, roots: [blob.root.root], at: Self.now, limits: limits) }
        limits = MetadataBLOB.Limits()
        limits.maxStringBytes = 10
        expectCode(.tooLarge) { _ = try MetadataBLOB.load(jwt, roots: [blob.root.root], at: Self.now, limits: limits) }
        limits = MetadataBLOB.Limits()
        limits.maxCertificateBytes = 100
        expectCode(.malformedJWS) { _ = try MetadataBLOB.load(jwt, roots: [blob.root.root], at: Self.now, limits: limits) }
    }

    @Test func countsPastTheirLimits() throws {
        let blob = try makeBLOB()
        let jwt = try blob.jwt()
        func expectLimit(_ configure: (inout MetadataBLOB.Limits) -> Void) {
            var limits = MetadataBLOB.Limits()
            configure(&limits)
            expectCode(.limitExceeded) { _ = try MetadataBLOB.load(jwt, roots: [blob.root.root], at: Self.now, limits: limits) }
        }
        expectLimit { $0.maxEntries = 1 }
        expectLimit { $0.maxStatusReportsPerEntry = 1 }
        expectLimit { $0.maxChainCertificates = 1 }
        expectLimit { $0.maxRootCertificatesPerEntry = 0 }
        expectLimit { $0.maxRootCertificates = 0 }
        expectLimit { $0.maxAttestationTypesPerEntry = 0 }
        expectLimit { $0.maxKeyIdentifiersPerEntry = 0 }
        var limits = MetadataBLOB.Limits()
        limits.json.maxNodes = 10
        expectCode(.malformedPayload) { _ = try MetadataBLOB.load(jwt, roots: [blob.root.root], at: Self.now, limits: limits) }
    }

    @Test func olderSerialNumber() throws {
        let blob = try makeBLOB()
        expectCode(.serialNumberNotIncreasing) { _ = try load(blob, minimumNumber: 43) }
        #expect(try load(blob, minimumNumber: 42).number == 42)
    }

    // MARK: - Forward compatibility and duplicates

    @Test func unknownStatusIsRecordedNotFatal() throws {
        let blob = try makeBLOB()
        blob.entries[0].statuses = [("FIDO_CERTIFIED_L1", "2023-01-01"), ("QUANTUM_ENTANGLED", "2025-01-01")]
        let index = try load(blob)
        let e = try #require(index.entry(aaguid: aaguid))
        #expect(e.statusReports.map(\.status) == [.fidoCertifiedL1])
        #expect(e.unknownStatuses == ["QUANTUM_ENTANGLED"] && index.unknownStatusCount == 1)
        #expect(e.latestStatus == .fidoCertifiedL1)
    }

    @Test func duplicateAAGUIDsMergeStatusesAndRoots() throws {
        let blob = try makeBLOB()
        let otherCA = try TestCA(name: "second batch root")
        var twin = TestMetadataBLOB.Entry(aaguid: aaguid, roots: [otherCA.root])
        twin.description = "Test Key (second entry)"
        twin.statuses = [("ATTESTATION_KEY_COMPROMISE", "2025-06-01")]
        blob.entries.append(twin)
        let index = try load(blob)
        #expect(index.count == 3 && index.duplicateKeys == 1)
        let e = try #require(index.entry(aaguid: aaguid))
        #expect(e.positions == [0, 2] && e.description == "Test Key \"FIDO2\"")
        #expect(e.statuses(in: AuthenticatorStatus.rejectedByDefault) == [.attestationKeyCompromise])
        #expect(e.attestationRootCertificates.count == 2)
        #expect(e.latestStatus == .attestationKeyCompromise)
    }

    @Test func entryWithoutStatementAndUAFEntry() throws {
        let blob = try makeBLOB()
        var bare = TestMetadataBLOB.Entry(aaguid: Array(repeating: 0x77, count: 16))
        bare.hasStatement = false
        var uaf = TestMetadataBLOB.Entry(aaguid: nil)
        uaf.aaid = "4e4e#4005"
        blob.entries += [bare, uaf]
        let index = try load(blob)
        #expect(index.count == 4)
        let e = try #require(index.entry(aaguid: Array(repeating: 0x77, count: 16)))
        #expect(e.description == "" && e.rootVerifier == nil)
        #expect(index.entries[3].aaid == "4e4e#4005")
    }

    @Test func rootCertificateThatDoesNotParseIsSkippedAndCounted() throws {
        let blob = try makeBLOB()
        let payload = String(decoding: blob.payloadJSON(), as: UTF8.self).replacingOccurrences(
            of: "\"attestationRootCertificates\":[\"", with: "\"attestationRootCertificates\":[\"AAAA\",\"")
        var o = TestMetadataBLOB.Options()
        o.payload = Array(payload.utf8)
        let index = try load(blob, o)
        let e = try #require(index.entry(aaguid: aaguid))
        #expect(e.attestationRootCertificates.count == 1 && e.unparsableRootCertificates == 1)
        #expect(index.unparsableRootCertificates == 1)
    }
}

/// A BLOB the size of the published one loads with the default limits: a few MB, tens of thousands of JSON values.
@Suite struct MetadataBLOBScaleTests {
    @Test func aBLOBOfPublishedSizeLoads() throws {
        let blob = try TestMetadataBLOB()
        let root = try TestCA(name: "bulk root")
        let rootB64 = TestMetadataBLOB.base64(root.root.derBytes)
        let icon = "data:image/png;base64," + String(repeating: "iVBORw0KGgo", count: 400)  // ~4.4 KB, like real icons
        var entries: [String] = []
        for i in 0..<1200 {
            let aaguid = String(format: "%08x-0000-4000-8000-%012x", i, i)
            let statement = """
                {"legalHeader":"l","aaguid":"\(aaguid)","description":"Bulk key \(i)","authenticatorVersion":5,"protocolFamily":"fido2","schema":3,"upv":[{"major":1,"minor":1}],"authenticationAlgorithms":["secp256r1_ecdsa_sha256_raw"],"publicKeyAlgAndEncodings":["cose"],"attestationTypes":["basic_full"],"userVerificationDetails":[[{"userVerificationMethod":"presence_internal"}],[{"userVerificationMethod":"passcode_external","caDesc":{"base":10,"minLength":4}}]],"keyProtection":["hardware","secure_element"],"matcherProtection":["on_chip"],"attachmentHint":["external","wired","nfc"],"tcDisplay":[],"attestationRootCertificates":["\(rootB64)"],"icon":"\(icon)","authenticatorGetInfo":{"versions":["U2F_V2","FIDO_2_0"],"extensions":["credProtect","hmac-secret"],"aaguid":"\(aaguid.replacingOccurrences(of: "-", with: ""))","options":{"rk":true,"up":true,"clientPin":true},"maxMsgSize":1200,"pinUvAuthProtocols":[1]}}
                """
            entries.append(
                "{\"aaguid\":\"\(aaguid)\",\"metadataStatement\":\(statement),\"statusReports\":[{\"status\":\"FIDO_CERTIFIED_L1\",\"effectiveDate\":\"2020-05-12\",\"certificationDescriptor\":\"Bulk key\",\"certificateNumber\":\"FIDO2\(i)\",\"certificationPolicyVersion\":\"1.1.1\",\"certificationRequirementsVersion\":\"1.3\"}],\"timeOfLastStatusChange\":\"2020-05-12\"}"
            )
        }
        let payload = "{\"legalHeader\":\"l\",\"no\":300,\"nextUpdate\":\"2026-08-01\",\"entries\":[\(entries.joined(separator: ","))]}"
        var o = TestMetadataBLOB.Options()
        o.payload = Array(payload.utf8)
        let jwt = try blob.jwt(o)
        #expect(jwt.count > 8 << 20)
        let index = try MetadataBLOB.load(jwt, roots: [blob.root.root], at: MetadataBLOBTests.now)
        #expect(index.count == 1200 && index.aaguidCount == 1200 && index.duplicateKeys == 0)
        #expect(index.entry(aaguid: Array(repeating: 0, count: 3) + [7] + [0, 0, 0x40, 0, 0x80, 0] + Array(repeating: 0, count: 5) + [7])?.description == "Bulk key 7")
        #expect(index.entries.allSatisfy { $0.attestationRootCertificates.count == 1 })
    }
}

/// base64url without padding.
func base64url(_ bytes: [UInt8]) -> String {
    TestMetadataBLOB.base64(bytes).replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

/// DER ECDSA (P-256) → r || s.
func rawSignature(_ der: [UInt8]) throws -> [UInt8] {
    var i = 2
    var out: [UInt8] = []
    for _ in 0..<2 {
        let n = Int(der[i + 1])
        let v = Array(der[(i + 2)..<(i + 2 + n)].drop { $0 == 0 })
        out += [UInt8](repeating: 0, count: 32 - v.count) + v
        i += 2 + n
    }
    return out
}
