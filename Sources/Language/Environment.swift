/// One level of variables: the global scope or a function call's locals.
///
/// Functions capture the scope they were defined in (`closure`), so names resolve
/// lexically: a call's locals, then the defining function's, and so on up to globals,
/// then builtins.
final class Scope {
    private(set) var values: [String: Value] = [:]
    /// Definition order, for listing variables the way a student created them.
    private(set) var order: [String] = []
    let parent: Scope?

    init(parent: Scope?) {
        self.parent = parent
    }

    func lookup(_ name: String) -> Value? {
        var scope: Scope? = self
        while let current = scope {
            if let value = current.values[name] { return value }
            scope = current.parent
        }
        return nil
    }

    /// Binds in this scope: plain assignment makes a local, as in Python.
    func assign(_ name: String, _ value: Value) {
        if values.updateValue(value, forKey: name) == nil { order.append(name) }
    }

    /// Rebinds the name in the scope that defines it (this one if none does): in-place
    /// updates such as `x[0] = 1` or `x += 1` change the variable the student means.
    func update(_ name: String, _ value: Value) {
        var scope: Scope? = self
        while let current = scope {
            if current.values[name] != nil {
                current.assign(name, value)
                return
            }
            scope = current.parent
        }
        assign(name, value)
    }

    func remove(_ name: String) {
        guard values.removeValue(forKey: name) != nil else { return }
        order.removeAll { $0 == name }
    }

    func replaceAll(_ values: [String: Value], order: [String]) {
        self.values = values
        self.order = order
    }

    /// Every name visible from here, innermost first.
    var visibleNames: [String] {
        var names: [String] = []
        var scope: Scope? = self
        while let current = scope {
            names += current.order
            scope = current.parent
        }
        return names
    }
}

/// The program's state between cells: global variables and the builtin table.
///
/// A debugger that lets a student step *back* over a cell needs the state before it:
/// `snapshot()` captures the globals (deep-copying host values) and `restore(_:)` puts
/// them back. Builtins are not part of a snapshot; they do not change.
public final class Environment {
    let globals = Scope(parent: nil)
    private var builtins: [String: Builtin] = [:]
    private var builtinOrder: [String] = []

    /// Language's core builtins, then `builtins` (which replace core ones of the same
    /// name, so a host can extend `abs` or `sum` to tensors).
    public init(builtins: [Builtin] = []) {
        for builtin in CoreBuiltins.all() + builtins { register(builtin) }
    }

    public func register(_ builtin: Builtin) {
        if builtins.updateValue(builtin, forKey: builtin.name) == nil { builtinOrder.append(builtin.name) }
    }

    public func builtin(named name: String) -> Builtin? { builtins[name] }

    /// Builtin names in registration order.
    public var builtinNames: [String] { builtinOrder }

    /// A global variable's value.
    public subscript(_ name: String) -> Value? {
        get { globals.lookup(name) }
        set {
            if let newValue { globals.assign(name, newValue) } else { globals.remove(name) }
        }
    }

    /// Global variables in the order they were first assigned (for `:vars`).
    public var variables: [(name: String, value: Value)] {
        globals.order.compactMap { name in globals.values[name].map { (name: name, value: $0) } }
    }

    public var variableNames: [String] { globals.order }

    /// Looks a name up as the program would: globals, then builtins.
    public func resolve(_ name: String) -> Value? {
        if let value = globals.lookup(name) { return value }
        return builtins[name].map(Value.builtin)
    }

    /// A deep copy of the global variables. Host values are copied with
    /// `HostValue.copy(using:)` through one `Copier`, so two names bound to one model
    /// are bound to one copy.
    public func snapshot() -> Snapshot {
        let copier = Copier()
        var copied: [String: Value] = [:]
        for name in globals.order {
            if let value = globals.values[name] { copied[name] = copier.copy(value) }
        }
        return Snapshot(values: copied, order: globals.order)
    }

    /// Puts the globals back as they were at `snapshot`. The snapshot is copied again,
    /// so it can be restored any number of times.
    public func restore(_ snapshot: Snapshot) {
        let copier = Copier()
        var copied: [String: Value] = [:]
        for (name, value) in snapshot.values { copied[name] = copier.copy(value) }
        globals.replaceAll(copied, order: snapshot.order)
    }
}

/// Saved global state; opaque except for the names it holds.
public struct Snapshot {
    let values: [String: Value]
    let order: [String]

    public var names: [String] { order }
}
