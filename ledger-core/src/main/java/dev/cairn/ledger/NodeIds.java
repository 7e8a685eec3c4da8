package dev.cairn.ledger;

import java.util.Arrays;
import java.util.regex.Pattern;

import dev.cairn.ledger.crypto.SignatureVerifier;

/**
 * The ids of installations (nodes): the lower-case hex of the first 20 bytes of the SHA-256 of
 * the node's raw Ed25519 public key, 40 digits. Whoever holds a message's key can check who sent
 * it. Every place that makes or checks one uses this class.
 */
public final class NodeIds {

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{40}");

    private NodeIds() {
    }

    /** The NodeId of a raw Ed25519 public key. */
    public static String of(byte[] publicKey) {
        return LedgerHashes.hex(Arrays.copyOf(SignatureVerifier.sha256(publicKey), 20));
    }

    /** Whether the text has the form of a NodeId. */
    public static boolean isValid(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }
}
