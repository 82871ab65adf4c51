package ai.distill4j.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void everyHalfSurvivesWideningAndRounding() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            float f = HalfFloats.f16ToFloat(h);
            if (Float.isNaN(f)) {
                assertTrue((bits & 0x7C00) == 0x7C00 && (bits & 0x3FF) != 0);
                assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))));
                continue;
            }
            assertEquals(bits, HalfFloats.floatToF16(f) & 0xFFFF, "f16 bits " + Integer.toHexString(bits));
        }
    }

    @Test
    void everyBfloat16SurvivesWideningAndRounding() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.bf16ToFloat((short) bits);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals(bits, HalfFloats.floatToBf16(f) & 0xFFFF, "bf16 bits " + Integer.toHexString(bits));
        }
    }

    @Test
    void halfMatchesKnownValues() {
        assertEquals(0x3C00, HalfFloats.floatToF16(1f) & 0xFFFF);
        assertEquals(0xC000, HalfFloats.floatToF16(-2f) & 0xFFFF);
        assertEquals(0x7BFF, HalfFloats.floatToF16(65504f) & 0xFFFF);
        assertEquals(0x7C00, HalfFloats.floatToF16(65520f) & 0xFFFF, "rounds up to infinity");
        assertEquals(0x0001, HalfFloats.floatToF16(0x1p-24f) & 0xFFFF, "smallest subnormal");
        assertEquals(0x0000, HalfFloats.floatToF16(0x1p-26f) & 0xFFFF, "underflows to zero");
        assertEquals(0x3555, HalfFloats.floatToF16(1f / 3) & 0xFFFF);
        // ties to even: 1 + 2^-11 is halfway between 1 and 1 + 2^-10
        assertEquals(0x3C00, HalfFloats.floatToF16(1f + 0x1p-11f) & 0xFFFF);
        assertEquals(0x3C02, HalfFloats.floatToF16(1f + 3 * 0x1p-11f) & 0xFFFF);
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        assertEquals(0x3F80, HalfFloats.floatToBf16(1f) & 0xFFFF);
        assertEquals(0x3F80, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808000)) & 0xFFFF, "tie to even");
        assertEquals(0x3F82, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F818000)) & 0xFFFF, "tie to even");
        assertEquals(0x3F81, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808001)) & 0xFFFF);
        assertEquals(3.140625f, HalfFloats.bf16ToFloat(HalfFloats.floatToBf16((float) Math.PI)));
    }
}
