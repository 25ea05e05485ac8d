import Tensor
print("huddle")
