import Tensor

/// The engine's trainable weight. Both Tensor and Language define a `Parameter` (a
/// weight; a function's parameter), and a module named like its main type cannot be
/// used to qualify the name, so files that import both say `Weight`.
typealias Weight = Parameter
