package ai.distill4j.model.io;

import java.util.Locale;

/**
 * The element types of the safetensors format that distill4j reads or writes, by their header names.
 *
 * @since 0.1.0
 */
public enum SafetensorsDType {
    /** IEEE 754 double. Read as float32. */
    F64(8, true),
    /** IEEE 754 single. */
    F32(4, true),
    /** IEEE 754 half. Read as float32 (converted in Java). */
    F16(2, true),
    /** bfloat16 (the upper half of a float32). Read as float32 (converted in Java; DJL aborts on BF16). */
    BF16(2, true),
    /** 64-bit signed integer. */
    I64(8, false),
    /** 32-bit signed integer. Read as int64. */
    I32(4, false),
    /** 16-bit signed integer. Read as int64. */
    I16(2, false),
    /** 8-bit signed integer. Read as int64. */
    I8(1, false),
    /** 8-bit unsigned integer. Read as int64. */
    U8(1, false),
    /** Boolean, one byte. Read as int64 0/1. */
    BOOL(1, false);

    private final int bytes;
    private final boolean floating;

    SafetensorsDType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /**
     * Returns the size of one element.
     *
     * @return bytes per element
     */
    public int bytes() {
        return bytes;
    }

    /**
     * Tells whether the type is a floating-point type (read as float32).
     *
     * @return true for F64, F32, F16, BF16
     */
    public boolean isFloating() {
        return floating;
    }

    /**
     * Looks up a header dtype name.
     *
     * @param name the name, e.g. {@code "BF16"}
     * @return the type, or null when distill4j does not support it
     */
    public static SafetensorsDType fromHeader(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
