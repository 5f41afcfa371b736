// Fuzz target `keydescription`: AndroidKeyDescription(derEncoded:) on the input (the extnValue of the Android key
// attestation extension). Invariants for an accepted input: it is one DER SEQUENCE of exactly the input's length
// (cutting a byte off or adding one is rejected); every kept field is within its limit; the lists count at least the
// fields they report; parsing is deterministic. Rejected or accepted, the parse must never trap.
import PasskeyAttestationData

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    withInput(data, size) { input in
        let bytes = Array(input)
        guard let d = try? AndroidKeyDescription(derEncoded: bytes) else { return }
        guard bytes.count <= AndroidKeyDescription.maximumEncodedBytes, bytes.first == 0x30 else {
            fuzzFail("accepted a key description that is not a SEQUENCE within the size limit")
        }
        guard d.attestationChallenge.count <= AndroidKeyDescription.maximumChallengeBytes,
            d.uniqueId.count < bytes.count
        else { fuzzFail("an accepted octet string is over its limit") }
        for list in [d.softwareEnforced, d.hardwareEnforced] {
            let read = (list.purposes == nil ? 0 : 1) + (list.allApplications ? 1 : 0) + (list.origin == nil ? 0 : 1)
            guard list.fieldCount >= read, (list.purposes?.count ?? 0) <= AndroidKeyDescription.maximumPurposes else {
                fuzzFail("authorization list counts are inconsistent: \(list)")
            }
        }
        guard (try? AndroidKeyDescription(derEncoded: bytes)) == d else { fuzzFail("parsing is not deterministic") }
        if (try? AndroidKeyDescription(derEncoded: Array(bytes.dropLast()))) != nil {
            fuzzFail("a truncated key description was accepted")
        }
        if (try? AndroidKeyDescription(derEncoded: bytes + [0x00])) != nil {
            fuzzFail("a key description with a trailing byte was accepted")
        }
    }
    return 0
}
