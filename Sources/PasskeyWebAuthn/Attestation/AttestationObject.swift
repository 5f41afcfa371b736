import PasskeyCBOR

/// The attestation object (WebAuthn §6.5): a CBOR map of `fmt`, `attStmt` and `authData`, parsed in place.
struct AttestationObject {
    let reader: CBORReader
    let format: String
    let statement: CBORItem
    let authData: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) throws(WebAuthnError) {
        let reader = CBORReader(bytes)
        self.reader = reader
        do {
            let root = try reader.readSingleItem()
            guard root.type == .map else {
                throw WebAuthnError(.malformedAttestationObject, "attestation object is not a CBOR map")
            }
            guard let fmt = try reader.value(in: root, textKey: "fmt"), fmt.type == .text else {
                throw WebAuthnError(.malformedAttestationObject, "attestation object has no text 'fmt'")
            }
            // attStmt is a map, or (compound, §8.9) an array of statements; the format checks which it needs.
            guard let stmt = try reader.value(in: root, textKey: "attStmt"), stmt.type == .map || stmt.type == .array else {
                throw WebAuthnError(.malformedAttestationObject, "attestation object has no map 'attStmt'")
            }
            guard let auth = try reader.value(in: root, textKey: "authData"), auth.type == .bytes else {
                throw WebAuthnError(.malformedAttestationObject, "attestation object has no byte string 'authData'")
            }
            self.format = try reader.string(fmt)
            self.statement = stmt
            self.authData = try reader.bytes(auth)
        } catch let e as WebAuthnError {
            throw e
        } catch let e as CBORError {
            throw WebAuthnError(.malformedCBOR, "attestation object: \(e)")
        } catch {
            throw WebAuthnError(.malformedAttestationObject, "\(error)")
        }
    }
}
