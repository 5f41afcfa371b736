import ArgumentParser

@main
struct Passkeyd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passkeyd",
        abstract: "A WebAuthn / FIDO2 verification engine.",
        discussion: """
            `passkeyd verify REQUEST.json` verifies one registration or authentication and prints the verdict as JSON.
            Exit status: 0 accepted, 1 rejected, 2 unusable input.
            """,
        version: PasskeydVersion.string,
        subcommands: [Verify.self]
    )
}

enum PasskeydVersion {
    static let string = "0.1.0"
}
