import RealModule
import Testing
@testable import Tensor

@Suite struct AutogradTests {
    @Test func aChainOf100000OpsBackpropagatesWithoutOverflowingTheStack() throws {
        let x = Tensor(1).requiringGrad()
        let factor: Float = 1.00001
        var y = x
        // y = x · factor^100000 after the loop; dy/dx is that same number.
        for _ in 0..<100_000 { y = try y * factor }
        try y.backward()
        let expected = Float(Double.pow(Double(factor), 100_000))
        #expect(abs(try #require(x.grad).item() - expected) < 1e-3 * expected)
        // Dropping y frees the whole chain; the iterative deinit must not recurse either.
        y = Tensor(0)
    }

    @Test func gradientsAccumulateAcrossBackwardCallsUntilZeroed() throws {
        let w = try Tensor([[1, 2], [3, 4]]).requiringGrad()
        try (w * w).sum().backward()  // d/dw Σw² = 2w
        try (w * 3).sum().backward()  // + 3
        #expect(w.grad == (try Tensor([[5, 7], [9, 11]])))
        w.zeroGrad()
        #expect(w.grad == nil)
        try w.sum().backward()
        #expect(w.grad == (try Tensor.ones([2, 2])))
    }

    @Test func noGradScopeRecordsNothing() throws {
        let w = Tensor([1, 2, 3]).requiringGrad()
        let y = try Tensor.withoutGrad { try w * 2 }
        #expect(!y.requiresGrad)
        #expect(throws: TensorError.self) { try y.sum().backward() }
        // and gradients are on again afterwards
        #expect(try (w * 2).requiresGrad)
    }

    @Test func backwardNeedsAScalar() throws {
        let w = Tensor([1, 2, 3]).requiringGrad()
        #expect(throws: TensorError("backward: needs a scalar (one value) to start from, got shape (3,); reduce it first, e.g. with sum or mean")) {
            try (w * 2).backward()
        }
    }

    @Test func theCheckerCatchesAWrongGradient() throws {
        // An op whose backward forgets the factor 2 of d(x²)/dx: the gradient check must fail.
        let problems = try GradientCheck.mismatches([sample([3], seed: 1)]) { xs in
            let x = xs[0]
            let y = x.timesSameShape(x)
            return Tensor.record(y, op: "bad_square", inputs: [x]) { g, inputs in [g.timesSameShape(inputs[0])] }
        }
        #expect(problems.count == 3)
    }

    @Test func valueSemanticsCopiesAreIndependent() throws {
        let a = try Tensor([[1, 2], [3, 4]])
        var b = a
        try b.setScalar(at: [0, 1], to: 20)
        #expect(a.scalars == [1, 2, 3, 4])
        #expect(b.scalars == [1, 20, 3, 4])
    }

    @Test func savedValuesAreSnapshotsSoLaterEditsDoNotChangeGradients() throws {
        let w = Tensor([2, 3]).requiringGrad()
        var x = Tensor([5, 7])
        let y = try (w * x).sum()
        try x.setScalar(at: [0], to: 100)  // edits the caller's copy only
        try y.backward()
        #expect(w.grad == Tensor([5, 7]))
    }

    @Test func editingAComputedTensorCutsItFromTheGraph() throws {
        let w = Tensor([2, 3]).requiringGrad()
        var y = try w * 2
        try y.setScalar(at: [0], to: 1)
        #expect(!y.requiresGrad)
        var leaf = w
        try leaf.setScalar(at: [0], to: 9)
        #expect(leaf.requiresGrad)  // a leaf stays a leaf: it is a weight being edited
    }

    @Test func parameterAssignmentKeepsItsGradientSlot() throws {
        let p = Parameter("W", try Tensor([[1, 2]]))
        try p.assign(try Tensor([[3, 4]]))
        try (p.value * p.value).sum().backward()
        #expect(p.grad == (try Tensor([[6, 8]])))
        #expect(throws: TensorError.self) { try p.assign(Tensor([1, 2, 3])) }
    }
}
