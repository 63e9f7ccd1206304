extension Duration {
    /// The duration in seconds as a `Double` (what Foundation's `TimeInterval` and Prometheus expect).
    var inSeconds: Double {
        let components = components
        return Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
