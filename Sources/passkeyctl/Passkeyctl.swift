import ArgumentParser

@main
struct Passkeyctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passkeyctl",
        abstract: "Talk to a running passkeyd over its socket.",
        discussion: """
            `passkeyctl verify REQUEST.json` sends the same request JSON as `passkeyd verify` to the server and prints
            the verdict in the same shape. Exit status: 0 accepted, 1 rejected, 2 unusable input or transport failure.
            The socket defaults to $PASSKEYD_SOCKET, else /run/passkeyd/passkeyd.sock (or $XDG_RUNTIME_DIR/passkeyd.sock
            when only that one exists).
            """,
        subcommands: [VerifyCommand.self, OptionsCommand.self, HealthCommand.self, InfoCommand.self]
    )

    @Option(name: .customLong("unix-socket"), help: "Unix socket of the server.")
    var unixSocket: String?

    @Option(name: .customLong("tcp"), help: "TCP address of the server, HOST:PORT.")
    var tcp: String?

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Double = 10

    func validate() throws {
        if unixSocket != nil, tcp != nil { throw ValidationError("give --unix-socket or --tcp, not both") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }
}
