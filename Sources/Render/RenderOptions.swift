/// How pictures are drawn: with or without colour, and how wide.
public struct RenderOptions: Sendable, Equatable {
    public enum ColorMode: String, Sendable, CaseIterable {
        /// Plain text: shade characters ░▒▓█ instead of colour (NO_COLOR, pipes, files).
        case none
        /// The 256-colour palette every modern terminal (and tmux) understands.
        case ansi256
        /// 24-bit colour, when the terminal says it has it (COLORTERM=truecolor).
        case truecolor
    }

    public var color: ColorMode
    /// Columns available; pictures shrink or truncate to fit.
    public var width: Int
    /// The magnitude signed heatmaps colour up to (−limit … limit), when a lesson fixes
    /// it (`<!-- huddle: scale 2 -->`) so pictures can be compared; nil: each picture's
    /// own largest number. Probabilities keep 0 … 1.
    public var colorLimit: Float?

    public init(color: ColorMode = .none, width: Int = 80, colorLimit: Float? = nil) {
        self.color = color
        self.width = max(width, 40)
        self.colorLimit = colorLimit
    }

    public var usesColor: Bool { color != .none }

    /// The colour mode a person would expect: `never` and `always` as asked; `auto` is
    /// colour only on a terminal, never with NO_COLOR set (https://no-color.org), and
    /// 24-bit only when COLORTERM says so.
    public static func colorMode(preference: String, environment: [String: String], isTerminal: Bool) -> ColorMode {
        let deep = ["truecolor", "24bit"].contains(environment["COLORTERM"]?.lowercased() ?? "")
        switch preference {
        case "never": return .none
        case "always": return deep ? .truecolor : .ansi256
        default:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
            if !isTerminal || environment["TERM"] == "dumb" { return .none }
            return deep ? .truecolor : .ansi256
        }
    }
}
