package dev.cairn.wallet.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * BIP39 mnemonics with the English word list: entropy of 128 to 256 bits becomes 12 to 24
 * words with a checksum; the seed is PBKDF2-HMAC-SHA512 of the normalised (NFKD) sentence with
 * salt "mnemonic" + passphrase, 2048 iterations.
 */
public final class Bip39 {

    public static final Set<Integer> WORD_COUNTS = Set.of(12, 15, 18, 21, 24);

    private static final List<String> WORDS = load();
    private static final Map<String, Integer> INDEX = index(WORDS);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Bip39() {
    }

    /** A mnemonic the caller has not written down correctly; the message says where. */
    public static final class InvalidMnemonicException extends IllegalArgumentException {
        InvalidMnemonicException(String message) {
            super(message);
        }
    }

    public static String generate(int wordCount) {
        if (!WORD_COUNTS.contains(wordCount)) {
            throw new IllegalArgumentException("wordCount must be one of 12, 15, 18, 21, 24");
        }
        byte[] entropy = new byte[wordCount * 11 * 32 / 33 / 8];
        RANDOM.nextBytes(entropy);
        try {
            return fromEntropy(entropy);
        } finally {
            Arrays.fill(entropy, (byte) 0);
        }
    }

    public static String fromEntropy(byte[] entropy) {
        int entropyBits = entropy.length * 8;
        if (entropyBits < 128 || entropyBits > 256 || entropyBits % 32 != 0) {
            throw new IllegalArgumentException("entropy must be 128 to 256 bits, a multiple of 32");
        }
        int checksumBits = entropyBits / 32;
        byte[] hash = sha256(entropy);
        int totalBits = entropyBits + checksumBits;
        StringBuilder sentence = new StringBuilder();
        for (int word = 0; word < totalBits / 11; word++) {
            int index = 0;
            for (int bit = 0; bit < 11; bit++) {
                int position = word * 11 + bit;
                boolean set = position < entropyBits ? bit(entropy, position) : bit(hash, position - entropyBits);
                index = (index << 1) | (set ? 1 : 0);
            }
            if (word > 0) {
                sentence.append(' ');
            }
            sentence.append(WORDS.get(index));
        }
        return sentence.toString();
    }

    /** Checks word count, every word and the checksum. @return the entropy */
    public static byte[] validate(String mnemonic) {
        String[] words = normalise(mnemonic).split(" ");
        if (!WORD_COUNTS.contains(words.length)) {
            throw new InvalidMnemonicException("A mnemonic has 12, 15, 18, 21 or 24 words; this one has " + words.length);
        }
        int totalBits = words.length * 11;
        int checksumBits = totalBits / 33;
        int entropyBits = totalBits - checksumBits;
        byte[] bits = new byte[(totalBits + 7) / 8];
        for (int i = 0; i < words.length; i++) {
            Integer index = INDEX.get(words[i]);
            if (index == null) {
                throw new InvalidMnemonicException("Word " + (i + 1) + " is not in the BIP39 English word list");
            }
            for (int bit = 0; bit < 11; bit++) {
                if ((index & (1 << (10 - bit))) != 0) {
                    int position = i * 11 + bit;
                    bits[position / 8] |= (byte) (0x80 >>> (position % 8));
                }
            }
        }
        byte[] entropy = Arrays.copyOf(bits, entropyBits / 8);
        byte[] hash = sha256(entropy);
        for (int i = 0; i < checksumBits; i++) {
            if (bit(bits, entropyBits + i) != bit(hash, i)) {
                Arrays.fill(entropy, (byte) 0);
                throw new InvalidMnemonicException("The mnemonic's checksum does not match: a word is wrong or out of order");
            }
        }
        return entropy;
    }

    /** The 64-byte seed. The mnemonic is validated first. */
    public static byte[] seed(String mnemonic, String passphrase) {
        Arrays.fill(validate(mnemonic), (byte) 0);
        byte[] password = normalise(mnemonic).getBytes(StandardCharsets.UTF_8);
        byte[] salt = ("mnemonic" + Normalizer.normalize(passphrase == null ? "" : passphrase, Normalizer.Form.NFKD))
                .getBytes(StandardCharsets.UTF_8);
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA512Digest());
        generator.init(password, salt, 2048);
        byte[] seed = ((KeyParameter) generator.generateDerivedParameters(512)).getKey();
        Arrays.fill(password, (byte) 0);
        return seed;
    }

    /** NFKD, lower case, single spaces. */
    static String normalise(String mnemonic) {
        return Normalizer.normalize(mnemonic == null ? "" : mnemonic, Normalizer.Form.NFKD).trim().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("\\s+", " ");
    }

    private static boolean bit(byte[] bytes, int position) {
        return (bytes[position / 8] & (0x80 >>> (position % 8))) != 0;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> load() {
        try (InputStream in = Bip39.class.getResourceAsStream("/bip39/english.txt")) {
            if (in == null) {
                throw new IllegalStateException("bip39/english.txt is missing");
            }
            List<String> words = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\n"));
            if (words.size() != 2048) {
                throw new IllegalStateException("the BIP39 word list must have 2048 words, has " + words.size());
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Integer> index(List<String> words) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            index.put(words.get(i), i);
        }
        return Map.copyOf(index);
    }
}
