package org.sagstudy.study;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/**
 * A reproducible random stream that cannot be predicted from its output: SHA-256 of (seed, counter). A participant
 * who watches where the right answers stood cannot work out where the next ones will (as with {@link Random}, whose
 * 48-bit state a few observations reveal), and the stored seed still replays the session's plan exactly.
 */
final class KeyedRandom extends Random {

    private final MessageDigest sha256;
    private final byte[] seed;
    private long counter;
    private ByteBuffer block = ByteBuffer.allocate(0);

    KeyedRandom(long seed) {
        super(0);
        this.seed = ByteBuffer.allocate(Long.BYTES).putLong(seed).array();
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected int next(int bits) {
        if (block.remaining() < Integer.BYTES) {
            sha256.update(seed);
            block = ByteBuffer.wrap(sha256.digest(ByteBuffer.allocate(Long.BYTES).putLong(counter++).array()));
        }
        return block.getInt() >>> (32 - bits);
    }
}
