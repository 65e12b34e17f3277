// Buffer: a fixed-size, heap-allocated Float64 array with a stable base pointer.
//
// The gradient-flow models keep their parameters in Buffers so that the SIMD kernels can work on
// raw pointers without copy-on-write checks or bounds checks in the hot loop.

public final class Buffer: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Double>

    public init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    public convenience init(_ values: [Double]) {
        self.init(count: values.count)
        for i in values.indices { pointer[i] = values[i] }
    }

    deinit { pointer.deallocate() }

    public subscript(i: Int) -> Double {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    public var array: [Double] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    public func copy(from other: Buffer) {
        precondition(other.count == count)
        pointer.update(from: other.pointer, count: count)
    }
}
