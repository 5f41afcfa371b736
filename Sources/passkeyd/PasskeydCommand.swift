import ArgumentParser

@main
struct Passkeyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passkeyd",
        abstract: "A WebAuthn / FIDO2 verification engine.",
        discussion: """
            `passkeyd serve` runs the sidecar on a Unix socket (and optionally TCP); see `passkeyd serve --help`.
            `passkeyd verify REQUEST.json` verifies one registration or authentication and prints the verdict as JSON.
            `passkeyd options registration|authentication REQUEST.json` prints the options (WebAuthn L3 JSON) for one.
            """,
        version: PasskeydVersion.string,
        subcommands: [Serve.self, Verify.self, Options.self]
    )
}

enum PasskeydVersion {
    static let string = "0.2.0"
}
