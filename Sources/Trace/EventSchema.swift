/// The typed contract of an event: which tensors and index numbers each kind of step
/// carries, declared once (in `EventKinds.swift`) and read by everyone else.
///
/// Models emit through typed keys (`LSTMStep.cPrev`), so a tensor can only be put into
/// the kind of event that declares it; Render draws each tensor under its `symbol`; the
/// Lessons bind each of its `names` at a picture; the Debugger finds a step's round and
/// `:focus` its rows from here; the JSON export writes `key`. Nothing downstream matches
/// a tensor by a name typed again, or by a rule on how a name starts.

/// One tensor an event may carry.
public struct TensorSchema: Sendable, Equatable, CustomStringConvertible {
    /// How a tensor's rows relate to the agents (tokens, words) the event's labels name.
    public enum Role: Sendable, Equatable {
        /// One row per agent (or batch item): the rows take the event's labels.
        case perAgent
        /// A weight shared by every agent; its rows are units, never agents.
        case weight
        /// A number or a whole-step quantity (a total, a token id list).
        case value
    }

    /// Which colour scale reads it best.
    public enum Palette: Sendable, Equatable {
        /// Signed numbers: a diverging scale around 0.
        case signed
        /// Probabilities and gates in [0, 1]: a sequential scale.
        case probability
    }

    /// The stored name: the JSON key and the first name a student can type.
    public let key: String
    /// How the lecture writes it and the picture draws it: `c_{t−1}`, `Δc_t`, `A_{m→t}`.
    public let symbol: String
    /// What it is, in a phrase (for `:help` and the reference).
    public let meaning: String
    /// Its shape in words: "(T, d)", "(B, n) or (n,)".
    public let shape: String
    public let role: Role
    public let palette: Palette
    /// Further names a student can type for it (ASCII spellings of the symbol).
    public let aliases: [String]
    /// Whether `:patch` can change it: the model reads it through a patch point just
    /// before the next computation uses it, so the rest of the run follows the change.
    public let isPatchable: Bool
    /// When nothing reads it after all (the 1997 LSTM's f, the last diffusion step's z).
    public let unusedWhen: Unused?

    /// An index entry's value under which a tensor is not read, and why (for a refusal).
    public struct Unused: Sendable, Equatable {
        public let flag: String
        public let value: IndexValue
        public let why: String

        public init(_ flag: String, is value: IndexValue, _ why: String) {
            self.flag = flag
            self.value = value
            self.why = why
        }
    }

    public init(_ key: String, symbol: String, _ meaning: String, shape: String, role: Role = .perAgent,
                palette: Palette = .signed, aliases: [String] = [], patchable: Bool = false, unusedWhen: Unused? = nil) {
        self.key = key
        self.symbol = symbol
        self.meaning = meaning
        self.shape = shape
        self.role = role
        self.palette = palette
        self.aliases = aliases
        isPatchable = patchable
        self.unusedWhen = unusedWhen
    }

    /// Every name it can be typed as at a picture: its key, the symbol itself when that is
    /// a name (`Δc_t`, `x_t`; braces dropped, so `A_{m}` would be `A_m`), and its aliases.
    public var names: [String] {
        var names = [key]
        if let symbolName = TensorSchema.identifier(symbol), !names.contains(symbolName) { names.append(symbolName) }
        for alias in aliases where !names.contains(alias) { names.append(alias) }
        return names
    }

    public var description: String { key }

    /// `text` without braces, if what is left is a name: letters (Greek too), digits and
    /// underscores, not starting with a digit.
    public static func identifier(_ text: String) -> String? {
        let bare = text.filter { $0 != "{" && $0 != "}" }
        guard let first = bare.first, first.isLetter || first == "_",
              bare.allSatisfy({ ($0.isLetter && !$0.isSuperscriptOrModifier) || $0.isNumber && $0.isASCII || $0 == "_" })
        else { return nil }
        return bare
    }
}

extension Character {
    /// ⁽ˡ⁾-style marks are letters to Unicode but not to a name.
    fileprivate var isSuperscriptOrModifier: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .modifierLetter || (0x2070...0x209F).contains($0.value) }
    }
}

/// One index number an event may carry: where the step happened or a setting of it.
public struct IndexSchema: Sendable, Equatable {
    public let key: String
    public let meaning: String
    /// Whether a change of it starts a new round of message passing, for `:next` (a
    /// layer, a time step, a diffusion step).
    public let isRound: Bool
    /// Whether a picture binds it as a name (`t`, `sigma`); false for names too common
    /// for a student's own variables (`d`) and for text and flags.
    public let isPictureName: Bool
    /// Whether it says which step this is (with the round): a patch is for the step
    /// whose identifying entries all match (`layer 1 · head 2`).
    public let identifiesStep: Bool
    /// How a flag that is true reads in a picture's header ("with a forget gate"); nil
    /// for its key.
    public let whenTrue: String?
    /// Whether a picture's header shows it (false where the formula already says it).
    public let inHeader: Bool

    public init(_ key: String, _ meaning: String, isRound: Bool = false, isPictureName: Bool = true, identifies: Bool = false,
                whenTrue: String? = nil, inHeader: Bool = true) {
        self.key = key
        self.meaning = meaning
        self.isRound = isRound
        self.isPictureName = isPictureName
        identifiesStep = isRound || identifies
        self.whenTrue = whenTrue
        self.inHeader = inHeader
    }
}

/// The declaration of one kind of event. Each conforming type is a namespace of typed
/// keys (`LSTMStep.cPrev`) plus the lists that make them enumerable.
public protocol EventSchema {
    static var kind: EventKind { get }
    /// What the step is, with the lecture's formula, in a line.
    static var summary: String { get }
    /// Every tensor this kind may carry, in the order a picture shows them.
    static var tensors: [TensorSchema] { get }
    static var index: [IndexSchema] { get }
    /// The tensor whose rows `:focus` chooses among, if a focus means anything here.
    static var focusRows: TensorSchema? { get }
    /// What the step passes on (the vectors after it): what a patch is seen to move.
    static var result: TensorSchema? { get }
}

/// A typed key for a tensor of events of kind `Event`: `event[LSTMStep.cPrev]`.
public struct TensorKey<Event: EventSchema>: Sendable {
    public let schema: TensorSchema

    public init(_ key: String, symbol: String, _ meaning: String, shape: String, role: TensorSchema.Role = .perAgent,
                palette: TensorSchema.Palette = .signed, aliases: [String] = [], patchable: Bool = false,
                unusedWhen: TensorSchema.Unused? = nil) {
        schema = TensorSchema(key, symbol: symbol, meaning, shape: shape, role: role, palette: palette, aliases: aliases,
                              patchable: patchable, unusedWhen: unusedWhen)
    }

    public var key: String { schema.key }
    public var symbol: String { schema.symbol }
}

/// A typed key for an index number of events of kind `Event`: `event[LSTMStep.t]`.
public struct IndexKey<Event: EventSchema>: Sendable {
    public let schema: IndexSchema

    public init(_ key: String, _ meaning: String, isRound: Bool = false, isPictureName: Bool = true, identifies: Bool = false,
                whenTrue: String? = nil, inHeader: Bool = true) {
        schema = IndexSchema(key, meaning, isRound: isRound, isPictureName: isPictureName, identifies: identifies,
                             whenTrue: whenTrue, inHeader: inHeader)
    }

    public var key: String { schema.key }
}

extension EventSchema {
    public static var focusRows: TensorSchema? { nil }
    public static var result: TensorSchema? { nil }
}

extension TraceEvent {
    /// The snapshot of tensor `key`, if this event is of `key`'s kind and carries it.
    public subscript<E: EventSchema>(key: TensorKey<E>) -> Snapshot? {
        kind == E.kind ? self[key.key] : nil
    }

    /// The index value `key`, if this event is of `key`'s kind and carries it.
    public subscript<E: EventSchema>(key: IndexKey<E>) -> IndexValue? {
        kind == E.kind ? index(key.key) : nil
    }

    /// The index value `key` as an integer, when it is one.
    public func integer<E: EventSchema>(_ key: IndexKey<E>) -> Int? {
        if case .int(let n)? = self[key] { return n }
        return nil
    }

    /// The index value `key` as a number (an integer too).
    public func number<E: EventSchema>(_ key: IndexKey<E>) -> Double? {
        switch self[key] {
        case .int(let n)?: Double(n)
        case .number(let d)?: d
        default: nil
        }
    }

    /// The snapshot of a declared tensor, if it is one of this event's kind's and the
    /// event carries it (for code that walks a kind's declarations).
    public subscript(declared schema: TensorSchema) -> Snapshot? {
        kind.schema.tensors.contains(schema) ? self[schema.key] : nil
    }

    /// Whether `:patch` can change tensor `schema` at this step: declared patchable and
    /// read here. The reason when it is not read here.
    public func patchability(of schema: TensorSchema) -> (patchable: Bool, unusedBecause: String?) {
        if let unused = schema.unusedWhen, index(unused.flag) == unused.value { return (false, unused.why) }
        return (schema.isPatchable, nil)
    }

    /// The declaration of this event's tensor `name`, nil for a name its kind does not
    /// declare.
    public func schema(ofTensor name: String) -> TensorSchema? {
        kind.schema.tensors.first { $0.key == name }
    }

    /// The declaration of this event's index entry `key`.
    public func schema(ofIndex key: String) -> IndexSchema? {
        kind.schema.index.first { $0.key == key }
    }

    /// The event's tensors with their declarations, in the event's order.
    public var declaredTensors: [(schema: TensorSchema, value: Snapshot)] {
        tensors.compactMap { t in schema(ofTensor: t.name).map { ($0, t.value) } }
    }

    /// What counts as one round of message passing for `:next`: of the rounds its kind
    /// declares (its layer, time step, diffusion step), the first, in the schema's order,
    /// that the event carries.
    public var round: (key: String, value: IndexValue)? {
        let rounds = kind.schema.index.filter(\.isRound).map(\.key)
        for key in rounds { if let value = index(key) { return (key, value) } }
        return nil
    }

    /// How many rows a focus can choose from, when the kind declares which tensor's rows
    /// those are: agents or tokens, or the items of a batch of signals or images.
    public var focusRowCount: Int? {
        guard let rows = kind.schema.focusRows, let s = self[rows.key], let first = s.shape.first else { return nil }
        return s.shape.count >= 2 ? first : 1
    }

    /// Emits-side check: every tensor and index entry is declared for the kind. Tests run
    /// it over every event every model makes.
    public var undeclaredNames: [String] {
        tensors.map(\.name).filter { schema(ofTensor: $0) == nil }
            + index.map(\.key).filter { schema(ofIndex: $0) == nil }
    }
}
