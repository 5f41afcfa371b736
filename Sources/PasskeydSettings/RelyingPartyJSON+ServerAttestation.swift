import PasskeyJSON
import PasskeyRequests
public import PasskeyWebAuthn

extension RelyingPartyJSON {
    /// The config file's top-level `attestation_roots` (the shape relying parties use: {"FORMAT": {"pem": [...],
    /// "pem_files": [...], "replace": false}}) applied to `base`: the server-wide attestation policy every relying
    /// party, named or inline, starts from. `object` is the config file's root object; relative `pem_files` are
    /// resolved against `directory`.
    public static func decodeServerAttestation(
        reader: JSONReader, object: JSONReader.Value, directory: String?, onto base: AttestationPolicy
    ) throws(RequestError) -> AttestationPolicy {
        var policy = Policy()
        policy.attestation = base
        // Only `attestation_roots` can be set at the top level (the config file refuses the other members), so this
        // reads exactly that member, through the same code as a relying party's.
        try decodeAttestation(JSONFields(reader: reader, root: object), into: &policy, directory: directory)
        return policy.attestation
    }
}
