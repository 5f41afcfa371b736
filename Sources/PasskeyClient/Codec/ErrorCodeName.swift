internal import CPasskeyProto

/// Wire enum names ("BAD_SIGNATURE") from the generated descriptor, so the client never keeps its own copy of the list.
enum ErrorCodeName {
    /// nil for ERROR_CODE_NONE.
    static func of(_ code: Passkeyd__V1__ErrorCode) -> String? {
        if code == PASSKEYD__V1__ERROR_CODE__ERROR_CODE_NONE { return nil }
        let value = withUnsafePointer(to: passkeyd__v1__error_code__descriptor) {
            protobuf_c_enum_descriptor_get_value($0, Int32(bitPattern: code.rawValue))
        }
        guard let name = value?.pointee.name else { return "UNKNOWN_\(code.rawValue)" }
        return String(cString: name)
    }
}
