/// A question the lesson asks, written in the lesson file as a fenced block beside the
/// ```huddle cells:
///
///     ```exercise value
///     ask: With nobody asking, what weight does love give machine?
///     answer: party.weights[1, 2]
///     hint: Every score ⟨q_love, k_t⟩ is 0 when W_q = 0.
///     hint: A softmax of four equal scores.
///     solution: 0.25
///     wrong: 1 -> that would be love hearing machine alone
///     ```
///
/// The kind follows `exercise` on the fence line; each line inside is `field: text`.
/// `docs/exercises.md` is the reference an instructor writes from.
public struct Exercise: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A number, tensor or word, compared with `answer`'s value within a tolerance.
        case value
        /// A value predicted before the next cell runs, compared with `answer` after it.
        case predict
        /// An expression the student writes, checked by its value — also when `vary`
        /// changes the numbers, so a typed-in number does not pass for the expression.
        case code
        /// A predicate on the lesson's state, checked after each change the student makes.
        case goal
        /// One of the lettered `choice` lines.
        case choice

        /// What the student is asked to type, for the question's last line.
        public var prompt: String {
            switch self {
            case .value: "type your answer: a number, a tensor, a word, or an expression that computes it"
            case .predict: "type your prediction (a number, tensor or word): one try, then the cell runs and shows whether you were right"
            case .code: "type an expression (code) that computes it"
            case .goal: "change the lesson's state at the prompt until the goal holds; each change is checked"
            case .choice: "type the letter of your choice"
            }
        }
    }

    /// A field's text and where it starts in the file, for located messages.
    public struct Field: Sendable, Equatable {
        public var text: String
        /// File line and column of the text's first character.
        public var line: Int
        public var column: Int
    }

    /// A declared wrong answer: refused by the check (`huddle test` proves it), and the
    /// message a student who gives it sees.
    public struct Wrong: Sendable, Equatable {
        public var answer: Field
        public var message: String?
    }

    public var kind: Kind
    /// The question, as Markdown.
    public var question: String
    /// The right value (value, predict, code), or the right letter (choice).
    public var answer: Field?
    /// The predicate that must hold (goal).
    public var goal: Field?
    /// How close a number must be: `|yours − answer| ≤ t·(1 + |answer|)`.
    public var tolerance: Double
    public var hints: [String]
    /// What `:solution` shows and runs: an expression, or code for a goal.
    public var solution: Field
    /// Why the answer is what it is, shown once the exercise is solved or shown.
    public var why: String?
    public var wrongs: [Wrong]
    /// The options of a choice, lettered a, b, c… in order.
    public var choices: [String]
    /// Statements that change the numbers (code): the student's expression must still
    /// agree with the answer after each.
    public var variations: [Field]
    /// A stable name for the progress file: `id:` if given, else made from the question.
    public var key: String
    /// The file line of the opening fence.
    public var line: Int
    /// Cells before it in the lesson: a prediction is about cell `cellsBefore` (from 0).
    public var cellsBefore: Int

    /// The default tolerance: students type rounded numbers (0.97 for 0.9677).
    public static let defaultTolerance = 0.01

    /// "a", "b", … for choice `index`.
    public static func letter(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(97 + index % 26)))
    }

    /// The choice an answer names ("b", "b)", "(b)", or the option's text), if any.
    public func choiceIndex(of text: String) -> Int? {
        Exercise.choiceIndex(of: text, in: choices)
    }

    static func choiceIndex(of text: String, in choices: [String]) -> Int? {
        var t = text.trimmingWhitespace().lowercased()
        t = String(t.drop(while: { $0 == "(" }))
        if t.hasSuffix(")") || t.hasSuffix(".") { t.removeLast() }
        if t.count == 1, let i = choices.indices.first(where: { Exercise.letter($0) == t }) { return i }
        return choices.firstIndex { $0.trimmingWhitespace().lowercased() == text.trimmingWhitespace().lowercased() }
    }

    /// A short title for lists: the question's first words.
    public var title: String {
        let plain = question.filter { $0 != "*" && $0 != "`" }.split(whereSeparator: \.isNewline).joined(separator: " ")
        return plain.count > 60 ? String(plain.prefix(59)) + "…" : plain
    }
}

/// FNV-1a, 64 bits: a stable key for an exercise from its question (Swift's `hashValue`
/// changes from run to run).
func stableHash(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
}
