import REPL
import Render

/// What a command that talks to a person sets up first: Ctrl-C, the environment, whether
/// both ends are a terminal, colour and width as asked, and the state folder.
struct TerminalSetup {
    let environment: [String: String]
    let interactive: Bool
    let options: RenderOptions
    let state: StatePaths

    init(color: ColorChoice) {
        Interrupt.install()
        environment = Terminal.environment
        interactive = Terminal.stdinIsTerminal && Terminal.stdoutIsTerminal
        options = RenderOptions(
            color: RenderOptions.colorMode(preference: color.rawValue, environment: environment, isTerminal: Terminal.stdoutIsTerminal),
            width: Terminal.width(environment: environment))
        state = StatePaths(environment: environment)
        StatePaths.makeFolder(state.folder)
    }

    /// The terminal's width as it is now (it may have been resized), for interactive use.
    var currentWidth: (() -> Int)? {
        let environment = environment
        return interactive ? { Terminal.width(environment: environment) } : nil
    }
}
