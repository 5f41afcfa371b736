import Foundation
import PasskeyCrypto
import PasskeyMetadata
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

@testable import PasskeydSettings

/// A BLOB, its FIDO root (PEM) and CRLs written to a fresh directory.
struct MetadataFiles {
    let directory: String
    let blob: TestMetadataBLOB
    var blobPath: String { directory + "/blob.jwt" }
    var rootPath: String { directory + "/root.pem" }
    var crlPaths: [String] { [directory + "/ca.crl", directory + "/root.crl.pem"] }
    static let aaguid: [UInt8] = Array(0x60..<0x70)

    init(statuses: [(String, String?)] = [("FIDO_CERTIFIED_L1", "2024-01-01")], number: Int = 7, revokingSigner: Bool = false) throws {
        directory = try DaemonProcess.temporaryDirectory()
        var entry = TestMetadataBLOB.Entry(aaguid: Self.aaguid)
        entry.statuses = statuses.map { ($0.0, $0.1) }
        blob = try TestMetadataBLOB(entries: [entry])
        blob.number = number
        try write(blob.jwt(), blobPath)
        try write(Array(blob.root.root.pemString.utf8), rootPath)
        let lists = try blob.revocationLists(revokingSigner: revokingSigner)
        try write(lists[0].derBytes, crlPaths[0])  // DER
        try write(Array(Self.pem("X509 CRL", lists[1].derBytes).utf8), crlPaths[1])  // PEM
    }

    func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// Rewrites the BLOB file with `number` and `statuses`, signed by the same chain.
    func rewrite(number: Int, statuses: [(String, String?)]) throws {
        blob.number = number
        blob.entries[0].statuses = statuses.map { ($0.0, $0.1) }
        try write(blob.jwt(), blobPath)
    }

    static func pem(_ label: String, _ der: [UInt8]) -> String {
        let b64 = Array(TestMetadataBLOB.base64(der))
        let lines = stride(from: 0, to: b64.count, by: 64).map { String(b64[$0..<min($0 + 64, b64.count)]) }
        return "-----BEGIN \(label)-----\n" + lines.joined(separator: "\n") + "\n-----END \(label)-----\n"
    }
}

@Suite struct MetadataSettingsTests {
    func settings(_ files: MetadataFiles, crls: Bool = true, extra: [String] = []) throws -> ServeSettings {
        var arguments = ["--metadata-blob-file", files.blobPath, "--metadata-root-cert-file", files.rootPath]
        if crls { arguments += ["--metadata-crl-files", files.crlPaths.joined(separator: ",")] }
        return try ServeSettings.load(arguments: arguments + extra, environment: [:])
    }

    func loadError(_ s: ServeSettings, sourceLocation: SourceLocation = #_sourceLocation) -> MetadataLoadError? {
        do {
            _ = try s.loadMetadata()
            Issue.record("the metadata loaded", sourceLocation: sourceLocation)
        } catch {
            return error
        }
        return nil
    }

    @Test func theThreeFilesLoadAndVerify() throws {
        let files = try MetadataFiles()
        defer { files.remove() }
        let s = try settings(files)
        #expect(s.metadataCRLPaths == files.crlPaths)
        let index = try #require(try s.loadMetadata())
        #expect(index.number == 7 && index.entry(aaguid: MetadataFiles.aaguid) != nil)
        #expect(try settings(files, crls: false).loadMetadata()?.count == 1)
        // Without a BLOB there is nothing to load.
        #expect(try ServeSettings.load(arguments: [], environment: [:]).loadMetadata() == nil)
    }

    @Test func aBLOBThatDoesNotVerifyNamesTheCheck() throws {
        let files = try MetadataFiles()
        defer { files.remove() }
        var o = TestMetadataBLOB.Options()
        o.corruptSignature = true
        try files.write(files.blob.jwt(o), files.blobPath)
        let e = try #require(loadError(try settings(files)))
        #expect(e.code == .badSignature && e.setting == "metadata_blob_file")
        #expect(e.description.hasPrefix("metadata_blob_file \(files.blobPath): bad_signature: "), "\(e)")
    }

    @Test func aRevokedSignerOrAnOlderBLOBIsRefused() throws {
        let files = try MetadataFiles(revokingSigner: true)
        defer { files.remove() }
        #expect(loadError(try settings(files))?.code == .certificateRevoked)
        #expect(try settings(files, crls: false).loadMetadata() != nil)
        let fresh = try MetadataFiles()
        defer { fresh.remove() }
        #expect(throws: MetadataLoadError.self) { _ = try settings(fresh).loadMetadata(minimumNumber: 8) }
    }

    @Test func unreadableOrWrongFiles() throws {
        let files = try MetadataFiles()
        defer { files.remove() }
        let missing = try ServeSettings.load(
            arguments: ["--metadata-blob-file", files.directory + "/nope.jwt", "--metadata-root-cert-file", files.rootPath],
            environment: [:])
        let e1 = try #require(loadError(missing))
        #expect(e1.setting == "metadata_blob_file" && e1.code == nil && e1.message.contains("cannot open"))

        try files.write(Array("no certificates here\n".utf8), files.directory + "/empty.pem")
        let noRoot = try ServeSettings.load(
            arguments: ["--metadata-blob-file", files.blobPath, "--metadata-root-cert-file", files.directory + "/empty.pem"],
            environment: [:])
        #expect(loadError(noRoot)?.setting == "metadata_root_cert_file")

        try files.write(Array("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".utf8), files.directory + "/bad.pem")
        let badRoot = try ServeSettings.load(
            arguments: ["--metadata-blob-file", files.blobPath, "--metadata-root-cert-file", files.directory + "/bad.pem"],
            environment: [:])
        #expect(loadError(badRoot)?.message.contains("does not parse") == true)

        try files.write(Array("garbage".utf8), files.crlPaths[0])
        let e3 = try #require(loadError(try settings(files)))
        #expect(e3.setting == "metadata_crl_files" && e3.path == files.crlPaths[0])
    }

    @Test func aBLOBNeedsItsRootAndARootOrCRLsNeedABLOB() throws {
        let (_, p1) = ServeSettings.read(arguments: ["--metadata-blob-file", "/x.jwt"], environment: [:])
        #expect(p1.map(\.code) == [.conflict] && p1.first?.setting == "metadata_blob_file", "\(p1)")
        let (_, p2) = ServeSettings.read(arguments: ["--metadata-root-cert-file", "/r.pem"], environment: [:])
        #expect(p2.map(\.code) == [.conflict] && p2.first?.setting == "metadata_root_cert_file", "\(p2)")
        let (_, p3) = ServeSettings.read(arguments: ["--metadata-crl-files", "/a.crl,/b.crl"], environment: [:])
        #expect(p3.map(\.code) == [.conflict] && p3.first?.setting == "metadata_crl_files", "\(p3)")
        let (_, ok) = ServeSettings.read(
            arguments: ["--metadata-blob-file", "/x.jwt", "--metadata-root-cert-file", "/r.pem"], environment: [:])
        #expect(ok.isEmpty)
    }

    // MARK: - Server-wide attestation roots

    @Test func attestationRootsAreTheServerWideStartingPointOfEveryRelyingParty() throws {
        let ca = try TestCA(name: "Server-wide Apple root")
        let dir = try DaemonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(ca.root.pemString.utf8).write(to: URL(fileURLWithPath: dir + "/apple.pem"))
        let json = """
            {"relying_parties": {"a": {"rp_id": "example.com", "origins": ["https://example.com"]},
                                 "b": {"rp_id": "example.org", "origins": ["https://example.org"],
                                       "attestation_roots": {"apple": {"pem": [], "replace": true}}}},
             "attestation_roots": {"apple": {"pem_files": ["apple.pem"], "replace": true},
                                   "tpm": {"pem": [\(JSONEncoded(ca.root.pemString))]}}}
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: dir + "/config.json"))
        let s = try ServeSettings.load(arguments: ["--config", dir + "/config.json"], environment: [:])
        #expect(s.attestation.formatRoots.anchors(for: "apple")?.certificates.map(\.derBytes) == [ca.root.derBytes])
        let tpm = try #require(s.attestation.formatRoots.anchors(for: "tpm")?.certificates)
        #expect(tpm.last?.derBytes == ca.root.derBytes)
        // Party a inherits the server-wide roots (though its member came first in the file); b replaces them.
        let a = try #require(s.relyingParties["a"]), b = try #require(s.relyingParties["b"])
        #expect(a.policy.attestation.formatRoots.anchors(for: "apple")?.certificates.map(\.derBytes) == [ca.root.derBytes])
        #expect(b.policy.attestation.formatRoots.anchors(for: "apple") == nil)
        // Everyone shares the one metadata store, and a reload keeps it.
        #expect(a.policy.attestation.metadata === s.metadataStore && b.policy.attestation.metadata === s.metadataStore)
        let again = try s.reloaded()
        #expect(again.metadataStore === s.metadataStore)
        #expect(again.relyingParties["a"]?.policy.attestation.metadata === s.metadataStore)
    }

    @Test func unusableAttestationRootsStopTheDaemon() throws {
        for bad in [
            "{\"attestation_roots\": {\"apple\": {\"pem\": [\"not pem\"]}}}",
            "{\"attestation_roots\": {\"no-such-format\": {\"pem\": []}}}",
            "{\"attestation_roots\": {\"apple\": {\"pem_files\": [\"missing.pem\"]}}}",
            "{\"attestation_roots\": [1]}",
        ] {
            let config = try TemporaryConfig(bad)
            defer { config.remove() }
            let (_, problems) = ServeSettings.read(arguments: ["--config", config.path], environment: [:])
            #expect(problems.map(\.code) == [.invalidAttestationRoots], "\(bad): \(problems)")
            #expect(problems.first?.description.hasPrefix("attestation_roots (config file \(config.path)): ") == true)
        }
    }
}

/// `s` as a JSON string literal.
func JSONEncoded(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n") + "\""
}

/// The daemon with FIDO metadata: a BLOB that does not verify stops it (status 2, naming the check); a good one is
/// logged with its `no` and `nextUpdate`, and SIGHUP swaps a newer one in, keeps the running one when the new one
/// fails, and says when nothing changed.
@Suite struct MetadataDaemonTests {
    @Test func aBLOBThatDoesNotVerifyStopsTheDaemon() throws {
        let files = try MetadataFiles()
        defer { files.remove() }
        var o = TestMetadataBLOB.Options()
        o.algorithm = "HS256"
        try files.write(files.blob.jwt(o), files.blobPath)
        let outcome = try DaemonProcess.run([
            "serve", "--unix-socket", files.directory + "/s.sock", "--metadata-blob-file", files.blobPath,
            "--metadata-root-cert-file", files.rootPath,
        ])
        #expect(outcome.status == 2, "stderr: \(outcome.stderr)")
        #expect(
            outcome.stderr.hasPrefix("passkeyd: metadata_blob_file \(files.blobPath): unsupported_algorithm: "),
            "stderr: \(outcome.stderr)")
    }

    @Test func loadReloadAndAFailedReload() throws {
        let files = try MetadataFiles()
        defer { files.remove() }
        files.blob.nextUpdate = "2020-01-01"  // passed: the load warns
        try files.write(files.blob.jwt(), files.blobPath)
        let daemon = try DaemonProcess.start([
            "serve", "--unix-socket", files.directory + "/s.sock", "--metadata-blob-file", files.blobPath,
            "--metadata-root-cert-file", files.rootPath, "--metadata-crl-files", files.crlPaths.joined(separator: ","),
        ])
        defer {
            DaemonProcess.stop(daemon.process)
            daemon.remove()
        }
        #expect(DaemonProcess.eventually(.seconds(15)) { daemon.stderr().contains("msg=\"metadata loaded\"") }, "\(daemon.stderr())")
        let started = daemon.stderr()
        #expect(started.contains("next_update=2020-01-01") && started.contains("no=7"), "\(started)")
        #expect(started.contains("nextUpdate has passed"), "\(started)")

        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(DaemonProcess.eventually(.seconds(10)) { daemon.stderr().contains("msg=\"metadata unchanged\"") }, "\(daemon.stderr())")

        try files.rewrite(number: 8, statuses: [("REVOKED", "2025-01-01")])
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(DaemonProcess.eventually(.seconds(10)) { daemon.stderr().contains("msg=\"metadata reloaded\"") }, "\(daemon.stderr())")
        #expect(daemon.stderr().contains("no=8"))

        try files.write(Array("not a jwt".utf8), files.blobPath)
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(
            DaemonProcess.eventually(.seconds(10)) { daemon.stderr().contains("metadata reload failed; keeping the previous BLOB") },
            "\(daemon.stderr())")
        #expect(daemon.stderr().contains("code=malformed_jws") && daemon.stderr().contains("running_no=8"), "\(daemon.stderr())")
        #expect(daemon.process.isRunning)
    }
}
