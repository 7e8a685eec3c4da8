package dev.cairn.tenant.user;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Argon2id hashing of passwords and client secrets (OWASP parameters: 19 MiB, 2 iterations,
 * parallelism 1). {@link #burn()} spends the same time as a real check, so that a login for an
 * unknown email takes as long as one with a wrong password.
 */
public class Passwords {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    private final String decoy = encoder.encode("decoy password that never matches");

    public String hash(String password) {
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        return password != null && hash != null && encoder.matches(password, hash);
    }

    public void burn() {
        encoder.matches("not the decoy password", decoy);
    }
}
