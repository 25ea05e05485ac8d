/// Reverse-mode automatic differentiation.
///
/// Every op that sees an input with a node (while gradients are enabled) gives its result
/// a node that remembers the inputs' nodes, detached copies of the input values, and a
/// backward function. `backward()` walks the graph from a scalar in reverse topological
/// order — iteratively, so a chain of 100,000 ops needs no deep call stack — and adds each
/// node's gradient into its inputs'. Gradients are kept on leaves only.
final class GradNode {
    /// The op's name, for error messages and debugging.
    let op: String
    /// Nodes of the inputs, aligned with `saved` (nil: that input needs no gradient).
    fileprivate(set) var inputs: [GradNode?]
    /// The inputs' values without their nodes, so a backward function never holds the
    /// graph alive through a captured tensor.
    fileprivate(set) var saved: [Tensor]
    /// Maps d(loss)/d(output) and the saved inputs to d(loss)/d(input) for each input.
    fileprivate(set) var backward: ((Tensor, [Tensor]) throws -> [Tensor?])?
    /// The accumulated gradient (leaves keep it; interior nodes drop it once used).
    var grad: Tensor?
    let shape: [Int]

    var isLeaf: Bool { backward == nil }

    /// A leaf: a tensor that requires gradients (a weight, an input being probed).
    init(leafShape shape: [Int]) {
        self.op = "leaf"
        self.inputs = []
        self.saved = []
        self.backward = nil
        self.shape = shape
    }

    init(op: String, shape: [Int], inputs: [GradNode?], saved: [Tensor],
         backward: @escaping (Tensor, [Tensor]) throws -> [Tensor?]) {
        self.op = op
        self.shape = shape
        self.inputs = inputs
        self.saved = saved
        self.backward = backward
    }

    /// Releases a long chain of nodes iteratively: the default recursive release of
    /// `inputs` would overflow the stack on a 100,000-op chain.
    deinit {
        var pending = inputs.compactMap { $0 }
        inputs = []
        while var node = pending.popLast() {
            if isKnownUniquelyReferenced(&node) {
                pending.append(contentsOf: node.inputs.compactMap { $0 })
                node.inputs = []
            }
        }
    }
}

/// Whether ops record the graph. A task-local, so a no-grad scope on one thread or task
/// never switches gradients off for another.
public enum GradMode {
    @TaskLocal public static var isEnabled = true
}

extension Tensor {
    /// Runs `body` without recording the autograd graph (optimiser steps, evaluation,
    /// sampling), like PyTorch's `torch.no_grad()`.
    public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
        try GradMode.$isEnabled.withValue(false, operation: body)
    }

    /// Whether this tensor takes part in the autograd graph.
    public var requiresGrad: Bool { node != nil }

    /// A copy that is a new leaf of the autograd graph: after `backward()` on a result
    /// computed from it, `grad` holds d(result)/d(self).
    public func requiringGrad() -> Tensor {
        var copy = self
        copy.node = GradNode(leafShape: shape)
        return copy
    }

    /// The same values, cut from the graph.
    public func detached() -> Tensor {
        var copy = self
        copy.node = nil
        return copy
    }

    /// The gradient accumulated on this leaf by `backward()` calls, or nil.
    public var grad: Tensor? { node?.grad }

    /// Clears the accumulated gradient (gradients add up across `backward()` calls).
    public func zeroGrad() {
        node?.grad = nil
    }

    /// Back-propagates from this scalar: every leaf it depends on gets d(self)/d(leaf)
    /// added to its `grad`.
    public func backward() throws {
        guard shape.isEmpty || scalars.count == 1 else {
            throw TensorError("backward: needs a scalar (one value) to start from, got shape \(formatShape(shape)); reduce it first, e.g. with sum or mean")
        }
        guard let root = node else {
            throw TensorError("backward: this value does not depend on any tensor that requires gradients")
        }
        try Self.backpropagate(from: root, seed: Tensor(unchecked: shape, [1]))
    }

    /// Back-propagates d(loss)/d(self) = `seed` from a tensor of any shape: the
    /// vector–Jacobian product. Gradient checks use it to weigh every output at once.
    public func backward(seed: Tensor) throws {
        guard seed.shape == shape else {
            throw TensorError.shapes("backward", shape, seed.shape, "the seed gradient must have the output's shape")
        }
        guard let root = node else {
            throw TensorError("backward: this value does not depend on any tensor that requires gradients")
        }
        try Self.backpropagate(from: root, seed: seed.detached())
    }

    static func backpropagate(from root: GradNode, seed: Tensor) throws {
        let order = topologicalOrder(from: root)
        root.grad = try root.grad.map { try $0 + seed } ?? seed
        try withoutGrad {
            // `order` lists every node after all nodes it feeds, so walking it backwards
            // visits a node only when all gradient flowing into it has arrived.
            for node in order.reversed() {
                guard let backward = node.backward, let grad = node.grad else { continue }
                let inputGrads = try backward(grad, node.saved)
                node.grad = nil
                for (input, g) in zip(node.inputs, inputGrads) {
                    guard let input, let g else { continue }
                    if var existing = input.grad {
                        input.grad = nil  // so `existing` owns its buffer and adds in place
                        try existing.accumulate(g)
                        input.grad = existing
                    } else {
                        input.grad = g
                    }
                }
            }
        }
    }

    /// Depth-first post-order with an explicit stack: inputs before the nodes they feed.
    static func topologicalOrder(from root: GradNode) -> [GradNode] {
        var order: [GradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(node: GradNode, expanded: Bool)] = [(root, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded {
                order.append(node)
                continue
            }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for case let input? in node.inputs where !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }

    /// Attaches an autograd node to a freshly computed `result` when any input takes part
    /// in the graph and gradients are enabled. `backward` receives d(loss)/d(result) and
    /// the inputs' values, and returns one gradient (or nil) per input, each of that
    /// input's shape. It may capture `result` (made before this call, so without a node).
    static func record(_ result: Tensor, op: String, inputs: [Tensor],
                       backward: @escaping (_ grad: Tensor, _ inputs: [Tensor]) throws -> [Tensor?]) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: { $0.node != nil }) else { return result }
        var out = result
        out.node = GradNode(op: op, shape: result.shape, inputs: inputs.map(\.node),
                            saved: inputs.map { $0.detached() }, backward: backward)
        return out
    }

    /// self += g, in place when the shapes agree (each element rounds as `self + g`, so
    /// the bits are the add's); otherwise through the broadcasting add.
    mutating func accumulate(_ g: Tensor) throws {
        guard g.shape == shape else {
            self = try self + g
            return
        }
        let n = count
        g.scalars.withUnsafeBufferPointer { y in
            scalars.withUnsafeMutableBufferPointer { x in
                for i in 0..<n { x[i] += y[i] }
            }
        }
    }
}
