// Fuzz target `mdsblob`: the FIDO MDS3 BLOB payload parser (MetadataBLOB.parseUncheckedPayload) on the input, and
// the whole loader (MetadataBLOB.load: JWS form, header, chain, signature) on the same bytes.
// Invariants: an index's entries are the BLOB's entries in order (entry i has position [i]); every entry is found by
// each of its AAGUID and key identifiers (alone, or inside the entry merged for a duplicate key); the distinct-key
// and duplicate counts match a recount with sets; a payload that parses parses again to the same index; and `load`
// never accepts the input, since nothing in it can be signed by the harness's freshly generated signing key.
import PasskeyCrypto
import PasskeyMetadata
import PasskeySoftAuthenticator

private let fuzzBLOB: TestMetadataBLOB = {
    do { return try TestMetadataBLOB() } catch { fuzzFail("test BLOB: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    withInput(data, size) { bytes in
        if let index = try? MetadataBLOB.parseUncheckedPayload(bytes) {
            check(index)
            guard let again = try? MetadataBLOB.parseUncheckedPayload(bytes), again.count == index.count,
                again.number == index.number, again.aaguidCount == index.aaguidCount
            else { fuzzFail("a payload that parsed once did not parse the same again") }
        }
        if (try? MetadataBLOB.load(Array(bytes), roots: [fuzzBLOB.root.root], at: 1_780_000_000)) != nil {
            fuzzFail("load accepted a BLOB the harness's key never signed")
        }
    }
    return 0
}

private func check(_ index: MetadataIndex) {
    guard index.provenance == .unchecked else { fuzzFail("an unchecked parse claims to be verified") }
    var aaguidClaims: [[UInt8]: Set<Int>] = [:]
    var keyClaims: [[UInt8]: Set<Int>] = [:]
    for (i, e) in index.entries.enumerated() {
        guard e.positions == [i] else { fuzzFail("entry \(i) has positions \(e.positions)") }
        guard e.aaguid != nil || e.aaid != nil || !e.attestationCertificateKeyIdentifiers.isEmpty else {
            fuzzFail("entry \(i) names no authenticator")
        }
        if let aaguid = e.aaguid {
            guard aaguid.count == 16 else { fuzzFail("entry \(i): AAGUID of \(aaguid.count) bytes") }
            guard let found = index.entry(aaguid: aaguid), found.positions.contains(i) else {
                fuzzFail("entry \(i) is not found by its AAGUID")
            }
            aaguidClaims[aaguid, default: []].insert(i)
        }
        for id in e.attestationCertificateKeyIdentifiers {
            guard id.count == 20 else { fuzzFail("entry \(i): key identifier of \(id.count) bytes") }
            guard let found = index.entry(attestationCertificateKeyIdentifier: id), found.positions.contains(i) else {
                fuzzFail("entry \(i) is not found by a key identifier")
            }
            keyClaims[id, default: []].insert(i)
        }
        if let date = e.timeOfLastStatusChange, date.utf8.count != 10 { fuzzFail("entry \(i): date '\(date)'") }
        for r in e.statusReports where r.effectiveDate.map({ $0.utf8.count != 10 }) ?? false {
            fuzzFail("entry \(i): effectiveDate of a report")
        }
        // Every report's status is one this build knows (unknown ones are recorded apart).
        for r in e.statusReports where AuthenticatorStatus(rawValue: r.status.rawValue) == nil { fuzzFail("status") }
    }
    guard index.aaguidCount == aaguidClaims.count, index.keyIdentifierCount == keyClaims.count else {
        fuzzFail("distinct keys: \(index.aaguidCount)/\(aaguidClaims.count) AAGUIDs, \(index.keyIdentifierCount)/\(keyClaims.count) key identifiers")
    }
    let duplicates = aaguidClaims.values.filter { $0.count > 1 }.count + keyClaims.values.filter { $0.count > 1 }.count
    guard index.duplicateKeys == duplicates else { fuzzFail("duplicate keys \(index.duplicateKeys), recounted \(duplicates)") }
    // A merged entry holds exactly its claimants, and every report of each.
    for (aaguid, claimants) in aaguidClaims where claimants.count > 1 {
        guard let m = index.entry(aaguid: aaguid), Set(m.positions) == claimants,
            m.statusReports.count == claimants.reduce(0, { $0 + index.entries[$1].statusReports.count })
        else { fuzzFail("merged entry for a duplicate AAGUID") }
    }
    _ = index.isStale(at: 1_780_000_000)
    _ = index.unknownStatusCount
}
