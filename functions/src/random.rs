//! The worker's one source of randomness (the runtime's `crypto.getRandomValues`).

/// `N` bytes from the platform's cryptographic random source.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // getRandomValues cannot fail for buffers this small; if the platform had no CSPRNG, refusing to
    // run is the only safe answer.
    getrandom::getrandom(&mut buf).expect("crypto.getRandomValues is available in workerd");
    buf
}
