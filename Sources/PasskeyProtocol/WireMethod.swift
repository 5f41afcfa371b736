/// The method of a `Request` (the `method` oneof of passkeyd.v1.Request), by its .proto field name.
public enum WireMethod: String, Sendable, CaseIterable {
    case verifyRegistration = "verify_registration"
    case verifyAuthentication = "verify_authentication"
    case verifyAuthenticationBatch = "verify_authentication_batch"
    case verifyRegistrationBatch = "verify_registration_batch"
    case health
    case serverInfo = "server_info"
    case generateRegistrationOptions = "generate_registration_options"
    case generateAuthenticationOptions = "generate_authentication_options"
    case unknown
}
