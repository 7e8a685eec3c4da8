package dev.cairn.ledger.crypto;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bech32m (BIP-350): a human-readable prefix, the data in 5-bit groups, and a 6-character
 * checksum that detects any mistyped character and most transpositions.
 */
public final class Bech32m {

    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int CONSTANT = 0x2bc830a3;
    private static final int MAX_LENGTH = 90;

    public record Decoded(String prefix, byte[] data) {
    }

    /** The prefix and the 5-bit groups of a string whose checksum is valid. */
    public record Groups(String prefix, byte[] values) {
    }

    /** Text that is not a valid Bech32m string; the message says why. */
    public static final class InvalidBech32Exception extends IllegalArgumentException {
        public InvalidBech32Exception(String message) {
            super(message);
        }
    }

    private Bech32m() {
    }

    public static String encode(String prefix, byte[] data) {
        return encodeGroups(prefix, convertBits(data, 8, 5, true));
    }

    public static Decoded decode(String text) {
        Groups groups = decodeGroups(text);
        return new Decoded(groups.prefix(), convertBits(groups.values(), 5, 8, false));
    }

    /** Checks case, characters, length and checksum, without reading the groups as bytes. */
    public static Groups decodeGroups(String text) {
        if (text == null || text.length() < 8 || text.length() > MAX_LENGTH) {
            throw new InvalidBech32Exception("not a valid address: wrong length");
        }
        for (char c : text.toCharArray()) {
            if (c < 33 || c > 126) {
                throw new InvalidBech32Exception("not a valid address: character out of range");
            }
        }
        boolean lower = !text.equals(text.toUpperCase(Locale.ROOT));
        boolean upper = !text.equals(text.toLowerCase(Locale.ROOT));
        if (lower && upper) {
            throw new InvalidBech32Exception("not a valid address: mixed case");
        }
        String s = text.toLowerCase(Locale.ROOT);
        int separator = s.lastIndexOf('1');
        if (separator < 1 || separator + 7 > s.length()) {
            throw new InvalidBech32Exception("not a valid address: no separator");
        }
        String prefix = s.substring(0, separator);
        for (char c : prefix.toCharArray()) {
            if (c < 33 || c > 126) {
                throw new InvalidBech32Exception("not a valid address: bad prefix");
            }
        }
        byte[] values = new byte[s.length() - separator - 1];
        for (int i = 0; i < values.length; i++) {
            int v = CHARSET.indexOf(s.charAt(separator + 1 + i));
            if (v < 0) {
                throw new InvalidBech32Exception("not a valid address: character '" + s.charAt(separator + 1 + i) + "' is not allowed");
            }
            values[i] = (byte) v;
        }
        if (polymod(expand(prefix), values) != CONSTANT) {
            throw new InvalidBech32Exception("not a valid address: checksum mismatch (mistyped?)");
        }
        byte[] payload = new byte[values.length - 6];
        System.arraycopy(values, 0, payload, 0, payload.length);
        return new Groups(prefix, payload);
    }

    public static String encodeGroups(String prefix, byte[] values) {
        byte[] checksum = checksum(prefix, values);
        StringBuilder out = new StringBuilder(prefix).append('1');
        for (byte v : values) {
            out.append(CHARSET.charAt(v));
        }
        for (byte v : checksum) {
            out.append(CHARSET.charAt(v));
        }
        return out.toString();
    }

    private static byte[] checksum(String prefix, byte[] values) {
        byte[] expanded = expand(prefix);
        byte[] enlarged = new byte[values.length + 6];
        System.arraycopy(values, 0, enlarged, 0, values.length);
        int mod = polymod(expanded, enlarged) ^ CONSTANT;
        byte[] checksum = new byte[6];
        for (int i = 0; i < 6; i++) {
            checksum[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
        }
        return checksum;
    }

    private static int polymod(byte[] prefix, byte[] values) {
        int chk = 1;
        for (byte[] part : new byte[][] {prefix, values}) {
            for (byte v : part) {
                int top = chk >>> 25;
                chk = ((chk & 0x1ffffff) << 5) ^ (v & 0xff);
                if ((top & 1) != 0) chk ^= 0x3b6a57b2;
                if ((top & 2) != 0) chk ^= 0x26508e6d;
                if ((top & 4) != 0) chk ^= 0x1ea119fa;
                if ((top & 8) != 0) chk ^= 0x3d4233dd;
                if ((top & 16) != 0) chk ^= 0x2a1462b3;
            }
        }
        return chk;
    }

    private static byte[] expand(String prefix) {
        byte[] out = new byte[prefix.length() * 2 + 1];
        for (int i = 0; i < prefix.length(); i++) {
            out[i] = (byte) (prefix.charAt(i) >> 5);
            out[i + prefix.length() + 1] = (byte) (prefix.charAt(i) & 31);
        }
        return out;
    }

    private static byte[] convertBits(byte[] data, int from, int to, boolean pad) {
        int acc = 0;
        int bits = 0;
        int maxv = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : data) {
            int value = b & 0xff;
            if ((value >>> from) != 0) {
                throw new InvalidBech32Exception("not a valid address: bad data");
            }
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & maxv);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (to - bits)) & maxv);
            }
        } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
            throw new InvalidBech32Exception("not a valid address: bad padding");
        }
        return out.toByteArray();
    }
}
