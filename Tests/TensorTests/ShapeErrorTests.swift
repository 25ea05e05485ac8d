import Testing
import Tensor

/// Bad shapes, axes and indices are thrown as errors whose text names the operation and
/// the shapes — never a trap.
@Suite struct ShapeErrorTests {
    @Test func matmulInnerSizes() throws {
        let a = try Tensor.zeros([3, 4]), b = try Tensor.zeros([5, 2])
        #expect(errorMessage { try a.matmul(b) } == "matmul: (3, 4) @ (5, 2) — inner sizes 4 and 5 differ")
        #expect(errorMessage { try Tensor(1).matmul(b) }
            == "matmul: () @ (5, 2) — both operands need at least one axis (use * to scale by a number)")
        #expect(errorMessage { try Tensor.zeros([2, 3, 4]).matmul(Tensor.zeros([3, 4, 5])) }
            == "matmul: (2, 3, 4) @ (3, 4, 5) — the leading (batch) axes cannot be broadcast together")
    }

    @Test func broadcasting() throws {
        #expect(errorMessage { try Tensor.zeros([3, 4]) + Tensor.zeros([3]) }
            == "add: (3, 4) and (3,) — sizes 4 and 3 at axis -1 cannot be broadcast (each must match or be 1)")
        #expect(errorMessage { try Tensor.zeros([2, 3]) * Tensor.zeros([4, 1, 1]) } == nil)
    }

    @Test func axesAndIndices() throws {
        let x = try Tensor.zeros([2, 3])
        #expect(errorMessage { try x.sum(axis: 2) } == "sum: axis 2 is out of range for a tensor of rank 2 (valid: -2…1)")
        #expect(errorMessage { try Tensor(1).softmax() } == "softmax: axis -1 is out of range for a scalar, which has no axes")
        #expect(errorMessage { try x.select(axis: 0, index: 2) } == "index: index 2 is out of range for axis 0 of size 2")
        #expect(errorMessage { try x.scalar(at: [0]) } == "index: 1 indices for a tensor of rank 2 with shape (2, 3)")
        #expect(errorMessage { try x.take([0, 5]) } == "take: index 5 is out of range for axis 0 of size 2")
        #expect(errorMessage { try x.slice(axis: 1, step: 0) } == "slice: step cannot be zero")
        #expect(errorMessage { try x.permuted([0, 0]) } == "permute: [0, 0] is not an ordering of the 2 axes of a tensor of shape (2, 3)")
    }

    @Test func reshapeAndConstruction() throws {
        let x = try Tensor.zeros([2, 3])
        #expect(errorMessage { try x.reshaped([4, -1]) } == "reshape: (2, 3) and (4, -1) — 6 values cannot be arranged that way")
        #expect(errorMessage { try x.reshaped([-1, -1]) } == "reshape: only one size may be -1, got (-1, -1)")
        #expect(errorMessage { try Tensor(shape: [2, 2], scalars: [1, 2, 3]) } == "tensor: shape (2, 2) needs 4 values, got 3")
        #expect(errorMessage { try Tensor.zeros([-1, 2]) } == "zeros: size -1 in shape (-1, 2) is negative")
        MemoryBudget.withLimit(4_000_000_000) {
            #expect(errorMessage { try Tensor.zeros([100_000, 100_000]) }
                == "zeros: this would need 40 GB for a (100000, 100000) tensor; the limit is 4 GB (--max-memory changes it)")
        }
        #expect(errorMessage { try Tensor.zeros([Int.max, Int.max]) }?.hasPrefix("zeros: this would need more than 9 EB for a (9223372036854775807, 9223372036854775807) tensor") == true)
        #expect(errorMessage { try x.reshaped([Int.max, Int.max]) } == "reshape: (2, 3) and (9223372036854775807, 9223372036854775807) — 6 values cannot fill more than 9223372036854775807 places")
        #expect(errorMessage { try Tensor.arange(0, 1e30) } != nil)
        #expect(errorMessage { try Tensor([[1, 2], [3]]) } == "tensor: row 1 has 1 values but row 0 has 2")
    }

    @Test func joining() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([3, 3])
        #expect(errorMessage { try Tensor.concatenate([a, b], axis: 1) }
            == "concatenate: (2, 3) and (3, 3) — sizes must agree on every axis but 1")
        #expect(errorMessage { try Tensor.stack([a, b]) } == "stack: (2, 3) and (3, 3) — stacked tensors must all have one shape")
        #expect(errorMessage { try a.split(sizes: [1, 1], axis: 1) }
            == "split: sizes [1, 1] do not add up to 3, the size of axis 1 of (2, 3)")
    }

    @Test func lossesAndConvolution() throws {
        let logits = try Tensor.zeros([2, 3])
        #expect(errorMessage { try logits.crossEntropy(targets: [0, 3]) } == "cross_entropy: target 3 is out of range for 3 classes")
        #expect(errorMessage { try logits.crossEntropy(targets: [0]) } == "cross_entropy: 2 rows of logits but 1 targets")
        let image = try Tensor.zeros([1, 2, 4, 4])
        #expect(errorMessage { try image.conv2d(weight: Tensor.zeros([3, 1, 2, 2])) }
            == "conv2d: (1, 2, 4, 4) and (3, 1, 2, 2) — input has 2 channels but the weight expects 1")
        #expect(errorMessage { try image.conv2d(weight: Tensor.zeros([3, 2, 5, 5])) }
            == "conv2d: (1, 2, 4, 4) and (3, 2, 5, 5) — the 5×5 kernel does not fit in the padded 4×4 input")
        // The padded length overflowing Int is named, not trapped on (the columns' padding
        // overflowing while the rows' kernel does not fit, too).
        #expect(errorMessage { try image.conv2d(weight: Tensor.zeros([3, 2, 2, 2]), padding: (0, 1 << 62)) }
            == "conv2d: padding 4611686018427387904 is too large: a length-4 input padded by it on both sides has more than 9223372036854775807 positions")
        #expect(errorMessage { try image.conv2d(weight: Tensor.zeros([3, 2, 9, 2]), padding: (0, 1 << 62)) }
            == "conv2d: padding 4611686018427387904 is too large: a length-4 input padded by it on both sides has more than 9223372036854775807 positions")
    }

    @Test func nanAndDivisionByZeroAreValuesNotTraps() throws {
        let y = try Tensor([1, -1, 0]) / Tensor([0, 0, 0])
        #expect(y.scalars[0] == .infinity && y.scalars[1] == -.infinity && y.scalars[2].isNaN)
        #expect(try Tensor([.nan, 1]).max().item().isNaN)  // a NaN is never hidden by max
        #expect(try Tensor([-.infinity, -.infinity]).softmax().scalars.allSatisfy(\.isNaN))
    }
}
