package dev.cairn.platform.auth;

/**
 * A bearer token that does not prove who the caller is. The message says why, in words safe to
 * show the caller (never key material, never the token).
 */
public class InvalidTokenException extends RuntimeException {

    public InvalidTokenException(String reason) {
        super(reason);
    }
}
