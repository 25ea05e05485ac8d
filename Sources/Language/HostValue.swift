/// A value that belongs to the host: a tensor, a model, an embedding table.
///
/// Language never looks inside; it asks. Two kinds are expected:
/// - *values* (tensors) are Swift structs with value semantics. Subscript assignment is
///   functional — `settingSubscript` returns an updated copy, which the interpreter
///   writes back to the variable or member it came from — so `b = a; b[0] = 5` leaves
///   `a` alone.
/// - *objects* (models, layers) are classes with reference semantics, like Python
///   objects: `setMember` mutates them, and two names can share one object.
///
/// Every requirement but `typeName`, `description` and `copy(using:)` has a default, so a
/// host implements only what its type supports. Any Swift error thrown here becomes a
/// runtime diagnostic located at the expression that asked; throw `RuntimeError` to
/// add a hint.
public protocol HostValue: CustomStringConvertible {
    /// Shown by `type(x)` and in messages ("unsupported operand types for '+': a Tensor
    /// and a string").
    var typeName: String { get }
    /// Member names for `help` and for tab completion.
    var memberNames: [String] { get }
    /// What `help(x)` prints; nil for a generic summary.
    var helpText: String? { get }
    /// Identity for objects (so snapshots keep two names bound to one copy); nil for
    /// values. Classes get `ObjectIdentifier(self)` by default.
    var objectIdentity: ObjectIdentifier? { get }
    /// What `len(x)` returns, if defined.
    var length: Int? { get }
    /// How a failed `≈` check names the value in one line: the value itself when short,
    /// else what it is (`a (4, 4) tensor`), since that check's detail says where it differs.
    var briefDescription: String { get }
    /// The number this value stands for, if it is a single number (a one-element
    /// tensor): builtins that take a number accept it.
    var scalarValue: Double? { get }

    /// `x.name`; nil when there is no such member (Language then reports it, with a
    /// suggestion from `memberNames`).
    func member(named name: String) throws -> Value?
    /// `x.name = value`. Objects mutate themselves; values throw (the default).
    func setMember(named name: String, to value: Value) throws
    /// `x[parts]`.
    func subscripted(by parts: [SubscriptPart]) throws -> Value
    /// `x[parts] = value`, functionally: returns the updated value.
    func settingSubscript(_ parts: [SubscriptPart], to value: Value) throws -> Value
    /// `x(arguments)`, for callable objects such as models. `context.bind` checks the
    /// arguments against a parameter list with Language's own messages.
    func call(_ arguments: Arguments, context: CallContext) throws -> Value
    /// `self op other` when `hostOnLeft`, else `other op self`. Return nil when the
    /// operation is not supported, so the other operand (if a host value) can be asked.
    func binary(_ op: BinaryOperator, _ other: Value, hostOnLeft: Bool) throws -> Value?
    /// `-x`, `+x`; nil when unsupported.
    func unary(_ op: UnaryOperator) throws -> Value?
    /// The elements `for row in x` visits and `a, b = x` unpacks; nil when not iterable.
    func iterate() throws -> [Value]?
    /// Used by `if`, `while`, `and`, `or`, `not`. A tensor of several elements should
    /// throw ("the truth value of a tensor is ambiguous; use any() or all()").
    func truthiness() throws -> Bool
    /// For `expect` of an entry-by-entry comparison (`expect a == b` with tensors):
    /// whether every entry holds and, if not, where not ("[1] and [3]; 2 of 4
    /// places"); nil when the value is not such a result. Without it a check of two equal
    /// tensors stopped the lesson with "the truth value … is ambiguous".
    func entrywiseCheck() -> (passed: Bool, failedAt: String)?
    /// A deep copy for environment snapshots. Copy nested host objects through
    /// `copier.copy(_:)` so that aliasing is preserved; a value type may return itself.
    func copy(using copier: Copier) -> any HostValue
}

extension HostValue {
    public var memberNames: [String] { [] }
    public var helpText: String? { nil }
    public var objectIdentity: ObjectIdentifier? { nil }
    public var length: Int? { nil }
    public var briefDescription: String { description }
    public var scalarValue: Double? { nil }

    public func member(named name: String) throws -> Value? { nil }

    public func setMember(named name: String, to value: Value) throws {
        throw RuntimeError("cannot set '\(name)': members of \(Value.host(self).kindPhrase) are read-only")
    }

    public func subscripted(by parts: [SubscriptPart]) throws -> Value {
        throw RuntimeError("\(Value.host(self).kindPhrase) cannot be subscripted")
    }

    public func settingSubscript(_ parts: [SubscriptPart], to value: Value) throws -> Value {
        throw RuntimeError("\(Value.host(self).kindPhrase) does not support item assignment")
    }

    public func call(_ arguments: Arguments, context: CallContext) throws -> Value {
        throw RuntimeError("\(Value.host(self).kindPhrase) cannot be called")
    }

    public func binary(_ op: BinaryOperator, _ other: Value, hostOnLeft: Bool) throws -> Value? { nil }
    public func unary(_ op: UnaryOperator) throws -> Value? { nil }
    public func iterate() throws -> [Value]? { nil }
    public func truthiness() throws -> Bool { true }
    public func entrywiseCheck() -> (passed: Bool, failedAt: String)? { nil }
}

extension HostValue where Self: AnyObject {
    public var objectIdentity: ObjectIdentifier? { ObjectIdentifier(self) }
}

/// One comma-separated part of a subscript, already evaluated and checked: indices and
/// slice bounds are whole numbers and a slice step is never zero.
public enum SubscriptPart {
    /// `a[2]`, `a[-1]`.
    case index(Int)
    /// `a[1:3]`, `a[::-1]`; nil bounds were left out.
    case slice(start: Int?, stop: Int?, step: Int?)
    /// Anything else inside the brackets (a tensor mask, a list of indices, a string):
    /// the host decides what it means.
    case value(Value)

    /// The positions a slice selects from a sequence of `count` elements, with Python's
    /// rules for negative and out-of-range bounds.
    public static func indices(start: Int?, stop: Int?, step: Int?, count: Int) -> [Int] {
        // A step longer than the sequence selects the same as one of exactly its length,
        // and clamping it keeps the stride from overflowing.
        let step = min(max(step ?? 1, -count), count)
        guard step != 0, count > 0 else { return [] }
        func clamp(_ bound: Int?, _ fallback: Int, low: Int, high: Int) -> Int {
            guard let bound else { return fallback }
            if bound < 0 { return bound < -count ? low : bound + count }
            return bound > high ? high : bound
        }
        if step > 0 {
            let first = clamp(start, 0, low: 0, high: count)
            let last = clamp(stop, count, low: 0, high: count)
            return Array(stride(from: first, to: last, by: step))
        }
        let first = clamp(start, count - 1, low: -1, high: count - 1)
        let last = clamp(stop, -1, low: -1, high: count - 1)
        return Array(stride(from: first, to: last, by: step))
    }

    /// A possibly negative index into `count` elements, or nil when out of range.
    public static func position(_ index: Int, count: Int) -> Int? {
        if index < 0 { return index < -count ? nil : index + count }
        return index < count ? index : nil
    }
}

/// Deep-copies values for environment snapshots, copying each host object once so that
/// names bound to one object stay bound to one copy.
public final class Copier {
    private var copies: [ObjectIdentifier: any HostValue] = [:]
    /// Keeps originals alive while their identifiers are keys.
    private var originals: [any HostValue] = []

    public init() {}

    /// The copy of a host value (the same copy each time for the same object).
    public func copy(_ value: any HostValue) -> any HostValue {
        guard let identity = value.objectIdentity else { return value.copy(using: self) }
        if let done = copies[identity] { return done }
        let copied = value.copy(using: self)
        register(value, copied)
        return copied
    }

    /// Typed convenience for hosts copying their nested objects.
    public func copy<T: HostValue>(_ value: T) -> T {
        (copy(value as any HostValue) as? T) ?? value
    }

    /// Records `copy` as the copy of `original` before its contents are copied; objects
    /// that reference each other in a cycle need this to terminate.
    public func register(_ original: any HostValue, _ copy: any HostValue) {
        guard let identity = original.objectIdentity else { return }
        copies[identity] = copy
        originals.append(original)
    }

    /// Lists already copied, by the storage they share: `s = [s + s]` 98 times makes a
    /// list whose two halves are one list, nested 98 deep — a few hundred bytes, but 2⁹⁸
    /// lists when copied element by element (the snapshot before the next cell grew to
    /// 19 GB). A list copied once is copied once, so the copy shares as the original did.
    private var lists: [UnsafeRawPointer: Value] = [:]
    /// Keeps the originals' storage alive while its address is a key.
    private var listOriginals: [[Value]] = []

    /// A deep copy of a Language value: lists element by element, host values through
    /// `copy(_:)`; functions are shared (they are immutable).
    public func copy(_ value: Value) -> Value {
        switch value {
        case .list(let items):
            guard let storage = Value.storage(of: items) else { return value }
            if let done = lists[storage] { return done }
            let copied = Value.list(items.map { copy($0) })
            lists[storage] = copied
            listOriginals.append(items)
            return copied
        case .host(let host): return .host(copy(host))
        default: return value
        }
    }
}
