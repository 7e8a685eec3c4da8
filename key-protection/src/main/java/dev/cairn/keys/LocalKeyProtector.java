package dev.cairn.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cairn.platform.crypto.AesGcm;

/**
 * A key-encryption key from configuration (a file or an environment variable), for running
 * without Vault. Older keys can be listed as well, so that keys wrapped under them still open
 * and can be rewrapped after the key is rotated. A key's version is the start of its SHA-256, so
 * the key itself is never recorded. Every wrap carries the protector's context as associated
 * data, so a wrap made for one purpose (wallet keys, the node key) never opens as another's.
 */
public class LocalKeyProtector implements KeyProtector {

    private final Map<String, byte[]> keys = new LinkedHashMap<>();
    private final String current;
    private final byte[] context;

    public LocalKeyProtector(byte[] currentKey, List<byte[]> previousKeys, byte[] context) {
        this.context = context.clone();
        this.current = version(currentKey);
        keys.put(current, currentKey.clone());
        previousKeys.forEach(key -> keys.putIfAbsent(version(key), key.clone()));
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public String currentVersion() {
        return current;
    }

    @Override
    public Wrapped wrap(byte[] dataKey) {
        byte[] sealed = AesGcm.encrypt(keys.get(current), dataKey, context);
        return new Wrapped(Base64.getEncoder().encodeToString(sealed), current);
    }

    @Override
    public byte[] unwrap(Wrapped wrapped) {
        byte[] key = keys.get(wrapped.keyVersion());
        if (key == null) {
            throw new IllegalStateException("The local key-encryption key " + wrapped.keyVersion() + " is not configured");
        }
        return AesGcm.decrypt(key, Base64.getDecoder().decode(wrapped.ciphertext()), context);
    }

    @Override
    public Wrapped rewrap(Wrapped wrapped) {
        byte[] dataKey = unwrap(wrapped);
        try {
            return wrap(dataKey);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    static String version(byte[] key) {
        try {
            return "local:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
