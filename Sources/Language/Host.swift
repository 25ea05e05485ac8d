/// What the interpreter needs from the program embedding it: the lesson runner, the
/// REPL, or a test. Everything has a default, so a host implements only what it uses.
///
/// A class protocol: hosts collect output, checks and traces as the program runs.
public protocol Host: AnyObject {
    /// Called for every list literal once its elements are evaluated. Return a host
    /// value to stand for it (`[[1, 2], [3, 4]]` as a tensor), or nil to keep a list
    /// (`["I", "love"]`). Tuples (`a, b` and `(a, b)`) are never offered.
    func arrayLiteral(_ elements: [Value]) throws -> Value?
    /// Compares with a tolerance for `≈` and `expect … ≈ …`. Asked first for every
    /// comparison; return nil to let Language compare numbers and lists itself.
    func approxEqual(_ a: Value, _ b: Value, tolerance: Tolerance) throws -> ApproxResult?
    /// Wraps the evaluation of `trace expr`. Call `body` exactly once and return its
    /// result; record whatever happens meanwhile. `span.text` is the traced source.
    func trace(_ span: SourceSpan, _ body: () throws -> Value) throws -> Value
    /// The value of an expression statement (not shown: `none`, and statements inside
    /// function bodies), like a Python prompt echoing the last value.
    func show(_ value: Value, span: SourceSpan)
    /// Text from `print` and `help`, newline included.
    func write(_ text: String)
    /// Each `expect` check, passed or failed. Checks never stop a program.
    func report(_ check: CheckResult)
    /// Called on every loop iteration and function call; throw to stop a long run
    /// (for instance after Ctrl-C). The error's description becomes the diagnostic.
    func checkInterrupt() throws
    /// How far a long computation inside one call (a training loop) has got, so the host
    /// can draw a progress bar: one report with step 0 as it starts, then one per step;
    /// the last says it is finished, whether it completed or was stopped.
    func reportProgress(_ progress: ProgressReport)
}

extension Host {
    public func arrayLiteral(_ elements: [Value]) throws -> Value? { nil }
    public func approxEqual(_ a: Value, _ b: Value, tolerance: Tolerance) throws -> ApproxResult? { nil }
    public func trace(_ span: SourceSpan, _ body: () throws -> Value) throws -> Value { try body() }
    public func show(_ value: Value, span: SourceSpan) { write(value.repr + "\n") }
    public func write(_ text: String) { print(text, terminator: "") }
    public func report(_ check: CheckResult) {}
    public func checkInterrupt() throws {}
    public func reportProgress(_ progress: ProgressReport) {}
}

/// One report of a long computation's progress. Language gives it no meaning beyond
/// counting: the builtin that runs the computation says what a step is and what number,
/// if any, it shows (a training loop's loss).
public struct ProgressReport: Equatable, Sendable {
    /// Steps done: 0 as the computation starts.
    public var step: Int
    public var total: Int
    /// A number to show beside the count, such as the latest loss.
    public var value: Double?
    /// What one step is, for the display: "step", "epoch".
    public var unit: String
    /// The last report of this computation, after its last step or when it was stopped.
    public var finished: Bool

    public init(step: Int, total: Int, value: Double? = nil, unit: String = "step", finished: Bool = false) {
        self.step = step
        self.total = total
        self.value = value
        self.unit = unit
        self.finished = finished
    }

    /// The computation is about to begin (hosts start their clocks here).
    public var isStart: Bool { step == 0 && !finished }
}

/// How close two numbers must be for `≈`: `|actual − expected| ≤ absolute + relative·|expected|`,
/// NumPy's `isclose` rule, with `expected` the right-hand side.
public struct Tolerance: Equatable, Sendable {
    public var relative: Double
    public var absolute: Double

    public init(relative: Double, absolute: Double) {
        self.relative = relative
        self.absolute = absolute
    }

    /// The default: relative 1e-4, absolute 1e-6 — comfortably above Float32 rounding in
    /// small models, well below any difference a lesson means.
    public static let standard = Tolerance(relative: 1e-4, absolute: 1e-6)

    /// `within t`: both tolerances set to t, so `|a − b| ≤ t·(1 + |b|)`.
    public static func within(_ t: Double) -> Tolerance { Tolerance(relative: t, absolute: t) }

    public func isClose(_ actual: Double, _ expected: Double) -> Bool {
        if actual == expected { return true }  // equal infinities
        guard actual.isFinite, expected.isFinite else { return false }
        return abs(actual - expected) <= absolute + relative * abs(expected)
    }
}

/// The outcome of an approximate comparison.
public struct ApproxResult {
    public var isClose: Bool
    /// Where and by how much they differ, e.g. "largest difference 0.01 at [2]".
    public var detail: String?

    public init(isClose: Bool, detail: String? = nil) {
        self.isClose = isClose
        self.detail = detail
    }
}

/// One `expect` check, as reported to the host.
public struct CheckResult {
    public enum Kind {
        /// `expect actual ≈ expected [within t]`.
        case approx(actual: Value, expected: Value, tolerance: Tolerance)
        /// `expect a == b`, `a < b`, `a in b`…: both sides' values.
        case comparison(BinaryOperator, Value, Value)
        /// `expect x`: any other expression, passing when truthy.
        case truth(Value)
    }

    public var passed: Bool
    public var kind: Kind
    /// The checked expression's source text and location.
    public var span: SourceSpan
    /// Extra explanation from the comparison, when there is one.
    public var detail: String?

    public init(passed: Bool, kind: Kind, span: SourceSpan, detail: String? = nil) {
        self.passed = passed
        self.kind = kind
        self.span = span
        self.detail = detail
    }

    /// What a report says about the check: "expected 0.5, got 0.49".
    public var message: String {
        var text: String
        func brief(_ value: Value) -> String {
            if case .host(let host) = value { return host.briefDescription }
            return value.repr
        }
        switch kind {
        case .approx(let actual, let expected, _):
            let (wanted, got) = (brief(expected), brief(actual))
            // Two tensors of one shape read the same in brief: say that the numbers differ.
            text = wanted == got ? "both sides are \(got), and their numbers are not close" : "expected \(wanted), got \(got)"
        case .comparison(.equal, let actual, let expected):
            text = "expected \(expected.repr), got \(actual.repr)"
        case .comparison(let op, let left, let right):
            text = "\(left.repr) \(op.rawValue) \(right.repr) is false"
        case .truth(let value):
            text = "\(span.text) is \(value.repr)"
        }
        if let detail { text += " (\(detail))" }
        return text
    }
}

/// An error with a message for the student, thrown by builtins and host values. The
/// interpreter adds the location.
public struct RuntimeError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// What to do about it, in one line.
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}
