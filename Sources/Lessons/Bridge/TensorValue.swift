import Language
import Models
import Tensor

/// A tensor as the lesson language sees it: a value (copies are independent), with
/// optional names for its rows (the tokens of a (T, d) team of vectors), NumPy-style
/// operators, subscripts and methods.
struct TensorValue: HostValue {
    var tensor: Tensor
    /// Names of the rows, kept through operations that keep the rows.
    var labels: [String]?
    /// Made by a comparison (`h > 0`): as a subscript it selects where it is non-zero,
    /// NumPy's boolean indexing, instead of naming indices 0 and 1.
    var isMask = false

    init(_ tensor: Tensor, labels: [String]? = nil) {
        self.tensor = tensor
        self.labels = labels.flatMap { $0.count == tensor.shape.first ? $0 : nil }
    }

    var typeName: String { "Tensor" }

    /// Tensors of up to 64 numbers show them all (`[[0.5, 0.5]]`), so `print` and a failed
    /// check say what they found; larger ones their shape and first numbers.
    var description: String {
        if tensor.isScalar { return TensorValue.format(tensor.scalars[0]) }
        guard tensor.count <= 64 else {
            let first = tensor.scalars.prefix(4).map(TensorValue.format).joined(separator: ", ")
            return "tensor of shape \(formatShape(tensor.shape)): \(first), …"
        }
        func nested(_ offset: Int, _ axis: Int) -> String {
            if axis == tensor.rank { return TensorValue.format(tensor.scalars[offset]) }
            let stride = tensor.shape[(axis + 1)...].reduce(1, *)
            return "[" + (0..<tensor.shape[axis]).map { nested(offset + $0 * stride, axis + 1) }.joined(separator: ", ") + "]"
        }
        return nested(0, 0)
    }

    var length: Int? { tensor.shape.first }

    /// Up to 8 numbers in full; a bigger tensor by its shape (a failed check then says
    /// where it differs and by how much, rather than wrapping 16 long numbers).
    var briefDescription: String {
        tensor.count <= 8 ? description : "a \(formatShape(tensor.shape)) tensor"
    }

    /// A one-element tensor is a number wherever a builtin wants one (`lr: losses[-1]`).
    var scalarValue: Double? { tensor.count == 1 ? Double(tensor.scalars[0]) : nil }

    /// A Float in its shortest round-tripping form (0.4011121, not 0.40111207962036133),
    /// whole numbers without a point.
    static func format(_ v: Float) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if v == v.rounded(), abs(v) < 1e7 { return String(Int(v)) }
        return "\(v)"
    }

    var helpText: String? {
        "Tensor \(formatShape(tensor.shape)): an array of 32-bit numbers. Members: " + memberNames.joined(separator: ", ")
    }

    var memberNames: [String] { TensorMethods.names }

    func member(named name: String) throws -> Value? {
        try TensorMethods.member(name, of: self)
    }

    func copy(using copier: Copier) -> any HostValue { self }

    // MARK: subscripts

    func subscripted(by parts: [SubscriptPart]) throws -> Value {
        if let mask = try maskSelection(parts) {
            return .host(TensorValue(try tensor.reshaped([-1]).take(mask)))
        }
        try TensorValue.checkOneIndexList(parts)
        var t = tensor
        var axis = 0
        var keptLabels = labels
        for (i, part) in parts.enumerated() {
            guard axis < t.rank else {
                throw RuntimeError("too many indices: \(parts.count) for a tensor of shape \(formatShape(tensor.shape))")
            }
            switch part {
            case .index(let index):
                // Part i reads axis i of the tensor as written; `axis` counts what is left.
                t = try t.select(axis: axis, index: TensorValue.position(index, axis: i, size: t.shape[axis]))
                if i == 0 { keptLabels = nil }
            case .slice(let start, let stop, let step):
                let positions = SubscriptPart.indices(start: start, stop: stop, step: step, count: t.shape[axis])
                t = try t.slice(axis: axis, start: start, end: stop, step: step ?? 1)
                if i == 0 { keptLabels = keptLabels.map { l in positions.map { l[$0] } } }
                axis += 1
            case .value(let value) where value.tensorValue?.tensor.rank == 0:
                // A one-number tensor (`h[argmax(p)]`) indexes like a whole number.
                let index = try Conversions.integer(value, what: "an index")
                t = try t.select(axis: axis, index: TensorValue.position(index, axis: i, size: t.shape[axis]))
                if i == 0 { keptLabels = nil }
            case .value(let value):
                let indices = try Conversions.indexList(value, what: "an index")
                for index in indices { _ = try TensorValue.position(index, axis: i, size: t.shape[axis]) }
                // A (2, 3) tensor of indices picks a (2, 3) block, as in NumPy.
                let indexShape = value.tensorValue.map { $0.tensor.shape } ?? [indices.count]
                t = try t.take(indices, indexShape: indexShape.isEmpty ? [1] : indexShape, axis: axis)
                if i == 0 { keptLabels = indexShape.count == 1 ? keptLabels.map { l in indices.map { l[($0 + l.count) % l.count] } } : nil }
                axis += indexShape.isEmpty ? 1 : indexShape.count
            }
        }
        return .host(TensorValue(t, labels: keptLabels))
    }

    /// `index` counted from the end when negative, or an error naming the axis as the
    /// student wrote it.
    static func position(_ index: Int, axis: Int, size: Int) throws -> Int {
        guard let p = SubscriptPart.position(index, count: size) else {
            throw RuntimeError("index \(index) is out of range for axis \(axis) of size \(size)",
                               hint: size > 0 ? "indices go from 0 to \(size - 1), or from -\(size) counting from the end" : nil)
        }
        return p
    }

    /// `h[0] = v`, `A[1:3, 0] = 0`: a copy with the selected elements replaced (the new
    /// values broadcast to the selection's shape).
    func settingSubscript(_ parts: [SubscriptPart], to value: Value) throws -> Value {
        if let mask = try maskSelection(parts) {
            let replacement = try Conversions.tensor(value, what: "the assigned value").broadcast(to: [mask.count]).scalars
            var scalars = tensor.scalars
            for (k, flat) in mask.enumerated() { scalars[flat] = replacement[k] }
            return .host(TensorValue(try Tensor(shape: tensor.shape, scalars: scalars), labels: labels))
        }
        try TensorValue.checkOneIndexList(parts)
        let selection = try Selection(shape: tensor.shape, parts: parts)
        let replacement = try Conversions.tensor(value, what: "the assigned value")
            .broadcast(to: selection.shape).scalars
        var scalars = tensor.scalars
        for (k, flat) in selection.flatIndices.enumerated() { scalars[flat] = replacement[k] }
        var updated = try Tensor(shape: tensor.shape, scalars: scalars)
        if tensor.requiresGrad { updated = updated.requiringGrad() }
        return .host(TensorValue(updated, labels: labels))
    }

    /// The flat positions a boolean mask (`h[h > 0]`) selects, or nil for other subscripts.
    func maskSelection(_ parts: [SubscriptPart]) throws -> [Int]? {
        guard parts.count == 1, case .value(let value) = parts[0], let mask = value.tensorValue, mask.isMask else { return nil }
        guard mask.tensor.shape == tensor.shape else {
            throw RuntimeError("a mask of shape \(formatShape(mask.tensor.shape)) cannot select from a tensor of shape \(formatShape(tensor.shape))",
                               hint: "compare the tensor itself, e.g. h[h > 0]")
        }
        return mask.tensor.scalars.indices.filter { mask.tensor.scalars[$0] != 0 }
    }

    /// Several lists of indices in one subscript mean different things in NumPy and in
    /// Python lists; rather than guess, say so.
    static func checkOneIndexList(_ parts: [SubscriptPart]) throws {
        let lists = parts.filter { if case .value = $0 { true } else { false } }
        if lists.count > 1 {
            throw RuntimeError("one list of indices per subscript, please",
                               hint: "to pick single elements use t[i, j]; to pick rows and then columns use t[rows][:, columns]")
        }
    }

    // MARK: operators

    func binary(_ op: BinaryOperator, _ other: Value, hostOnLeft: Bool) throws -> Value? {
        if op == .contains { return nil }
        // A plain list (a shape, say) against a tensor: `==` asks whether they are the same
        // numbers in the same shape — `out.shape == [4, 2]` — not for a mask.
        if case .list(let items) = other {
            switch op {
            case .equal, .notEqual:
                let same = (try? Conversions.tensor(other, what: "operand")) == tensor
                return .bool(op == .equal ? same : !same)
            case .add:
                // `[] + [x]`, `words + [n]`: a list and a vector join, as Python lists do;
                // `hs + [h]` with h a tensor joins h ([h] is stacked into a (1, d) tensor,
                // whose rows join): it used to broadcast (0,) against (1, d) and fail.
                let joined = tensor.rank <= 1 ? tensor.scalars.map { Value.number(Double($0)) }
                    : try (0..<tensor.shape[0]).map { Value.host(TensorValue(try tensor.select(index: $0))) }
                return .list(hostOnLeft ? joined + items : items + joined)
            default:
                break
            }
        }
        guard let otherTensor = try? Conversions.tensor(other, what: "operand") else { return nil }
        let (a, b) = hostOnLeft ? (tensor, otherTensor) : (otherTensor, tensor)
        let result: Tensor
        switch op {
        case .add: result = try a + b
        case .subtract: result = try a - b
        case .multiply: result = try a * b
        case .divide: result = try a / b
        case .power: result = try a.pow(b)
        case .matmul: result = try a.matmul(b)
        case .equal: result = try a.eq(b)
        case .notEqual: result = try a.ne(b)
        case .less: result = try a.lt(b)
        case .lessEqual: result = try a.le(b)
        case .greater: result = try a.gt(b)
        case .greaterEqual: result = try a.ge(b)
        case .floorDivide, .modulo, .contains:
            throw RuntimeError("'\(op.rawValue)' is not defined for tensors")
        }
        let rowLabels = hostOnLeft ? labels : (other.tensorValue?.labels ?? labels)
        var value = TensorValue(result, labels: result.shape.first == tensor.shape.first ? rowLabels : nil)
        value.isMask = [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(op)
        return .host(value)
    }

    func unary(_ op: UnaryOperator) throws -> Value? {
        switch op {
        case .negate: .host(TensorValue(-tensor, labels: labels))
        case .plus: .host(self)
        }
    }

    /// `for row in h`: the rows; for a vector, its numbers (plain numbers, as NumPy's
    /// scalars behave, so `for n in [10, 20]: range(n)` works).
    func iterate() throws -> [Value]? {
        guard tensor.rank >= 1 else { throw RuntimeError("a 0-d tensor (a single number) cannot be iterated") }
        if tensor.rank == 1 { return tensor.scalars.map { .number(Conversions.double($0)) } }
        return try (0..<tensor.shape[0]).map { .host(TensorValue(try tensor.select(index: $0))) }
    }

    func entrywiseCheck() -> (passed: Bool, failedAt: String)? {
        let failed = tensor.scalars.indices.filter { tensor.scalars[$0] == 0 }
        guard !failed.isEmpty else { return (true, "") }
        let shown = failed.prefix(5).map { flat in
            var rest = flat, index: [Int] = []
            for size in tensor.shape.reversed() {
                index.insert(rest % size, at: 0)
                rest /= size
            }
            return "[" + index.map(String.init).joined(separator: ", ") + "]"
        }
        let list = shown.count == 1 ? shown[0] : shown.dropLast().joined(separator: ", ") + (failed.count > 5 ? ", " : " and ") + shown.last!
        return (false, list + (failed.count > 5 ? ", …" : "") + "; \(failed.count) of \(tensor.count) places")
    }

    func truthiness() throws -> Bool {
        guard tensor.count == 1 else {
            throw RuntimeError("the truth value of a tensor with \(tensor.count) values is ambiguous",
                               hint: "a comparison (==, <, >=, …) of tensors is taken entry by entry and gives a tensor of 0s and 1s: say which you mean, all(A >= 0) or any(A > 0.9), or compare whole tensors with ≈")
        }
        return tensor.scalars[0] != 0
    }
}

/// The elements a subscript selects, for item assignment.
struct Selection {
    let shape: [Int]
    let flatIndices: [Int]

    init(shape full: [Int], parts: [SubscriptPart]) throws {
        guard parts.count <= full.count else {
            throw RuntimeError("too many indices: \(parts.count) for a tensor of shape \(formatShape(full))")
        }
        var perAxis: [[Int]] = []
        var shape: [Int] = []
        for (axis, size) in full.enumerated() {
            guard axis < parts.count else {
                perAxis.append(Array(0..<size))
                shape.append(size)
                continue
            }
            switch parts[axis] {
            case .index(let i):
                perAxis.append([try TensorValue.position(i, axis: axis, size: size)])
            case .slice(let start, let stop, let step):
                let positions = SubscriptPart.indices(start: start, stop: stop, step: step, count: size)
                perAxis.append(positions)
                shape.append(positions.count)
            case .value(let v):
                let positions = try Conversions.indexList(v, what: "an index").map {
                    try TensorValue.position($0, axis: axis, size: size)
                }
                perAxis.append(positions)
                shape.append(positions.count)
            }
        }
        let strides = full.indices.map { full[($0 + 1)...].reduce(1, *) }
        var flat: [Int] = [0]
        for (axis, positions) in perAxis.enumerated() {
            flat = flat.flatMap { base in positions.map { base + $0 * strides[axis] } }
        }
        self.shape = shape
        self.flatIndices = flat
    }
}

extension Value {
    /// The tensor inside, if this is a tensor value.
    var tensorValue: TensorValue? {
        if case .host(let host) = self { return host as? TensorValue }
        return nil
    }
}
