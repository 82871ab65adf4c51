package ai.distill4j.model.bert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HuggingFace BERT's formulas in plain Java with double loops, as an independent reference for the DJL block.
 * Weights are float arrays by HF name, in torch layout (linear weights (out, in)).
 */
final class ReferenceBert {

    /** The results for one batch; [b][..] indexing. */
    record Result(List<double[][][]> hidden, List<double[][][][]> scores, List<double[][][][]> probs,
            double[][] pooled, double[][] logits) {}

    private final BertConfig c;
    private final Map<String, float[]> w;

    ReferenceBert(BertConfig config, Map<String, float[]> weights) {
        this.c = config;
        this.w = weights;
    }

    Result forward(long[][] ids, long[][] mask, long[][] types, boolean seqClassifier) {
        int b = ids.length;
        int s = ids[0].length;
        int h = c.hiddenSize();
        int a = c.numAttentionHeads();
        int d = h / a;
        double eps = c.layerNormEps();
        double[][][] x = new double[b][s][h];
        float[] we = w.get("embeddings.word_embeddings.weight");
        float[] pe = w.get("embeddings.position_embeddings.weight");
        float[] te = w.get("embeddings.token_type_embeddings.weight");
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < s; t++) {
                for (int k = 0; k < h; k++) {
                    x[i][t][k] = we[(int) ids[i][t] * h + k] + te[(int) types[i][t] * h + k] + pe[t * h + k];
                }
                x[i][t] = layerNorm(x[i][t], "embeddings.LayerNorm", eps);
            }
        }
        List<double[][][]> hidden = new ArrayList<>();
        List<double[][][][]> scoresAll = new ArrayList<>();
        List<double[][][][]> probsAll = new ArrayList<>();
        hidden.add(x);
        double minF = -3.4028234663852886e38;
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "encoder.layer." + l + ".";
            double[][][] q = new double[b][][];
            double[][][] kk = new double[b][][];
            double[][][] v = new double[b][][];
            for (int i = 0; i < b; i++) {
                q[i] = linear(x[i], p + "attention.self.query");
                kk[i] = linear(x[i], p + "attention.self.key");
                v[i] = linear(x[i], p + "attention.self.value");
            }
            double[][][][] sc = new double[b][a][s][s];
            double[][][][] pr = new double[b][a][s][s];
            double[][][] ctx = new double[b][s][h];
            for (int i = 0; i < b; i++) {
                for (int hd = 0; hd < a; hd++) {
                    for (int t = 0; t < s; t++) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (int u = 0; u < s; u++) {
                            double dot = 0;
                            for (int e = 0; e < d; e++) {
                                dot += q[i][t][hd * d + e] * kk[i][u][hd * d + e];
                            }
                            // float32 arithmetic of the mask, as torch does it
                            double m = (float) ((1.0f - mask[i][u]) * (float) minF);
                            sc[i][hd][t][u] = dot / Math.sqrt(d) + m;
                            max = Math.max(max, sc[i][hd][t][u]);
                        }
                        double sum = 0;
                        for (int u = 0; u < s; u++) {
                            pr[i][hd][t][u] = Math.exp(sc[i][hd][t][u] - max);
                            sum += pr[i][hd][t][u];
                        }
                        for (int u = 0; u < s; u++) {
                            pr[i][hd][t][u] /= sum;
                        }
                        for (int e = 0; e < d; e++) {
                            double acc = 0;
                            for (int u = 0; u < s; u++) {
                                acc += pr[i][hd][t][u] * v[i][u][hd * d + e];
                            }
                            ctx[i][t][hd * d + e] = acc;
                        }
                    }
                }
            }
            double[][][] next = new double[b][][];
            for (int i = 0; i < b; i++) {
                double[][] ao = linear(ctx[i], p + "attention.output.dense");
                for (int t = 0; t < s; t++) {
                    for (int k = 0; k < h; k++) {
                        ao[t][k] += x[i][t][k];
                    }
                    ao[t] = layerNorm(ao[t], p + "attention.output.LayerNorm", eps);
                }
                double[][] inter = linear(ao, p + "intermediate.dense");
                for (double[] row : inter) {
                    for (int k = 0; k < row.length; k++) {
                        row[k] = gelu(row[k]);
                    }
                }
                double[][] out = linear(inter, p + "output.dense");
                for (int t = 0; t < s; t++) {
                    for (int k = 0; k < h; k++) {
                        out[t][k] += ao[t][k];
                    }
                    out[t] = layerNorm(out[t], p + "output.LayerNorm", eps);
                }
                next[i] = out;
            }
            x = next;
            hidden.add(x);
            scoresAll.add(sc);
            probsAll.add(pr);
        }
        double[][] pooled = null;
        double[][] logits = null;
        if (seqClassifier) {
            double[][] cls = new double[b][];
            for (int i = 0; i < b; i++) {
                cls[i] = x[i][0];
            }
            pooled = linear(cls, "pooler.dense");
            for (double[] row : pooled) {
                for (int k = 0; k < row.length; k++) {
                    row[k] = Math.tanh(row[k]);
                }
            }
            logits = linear(pooled, "classifier");
        }
        return new Result(hidden, scoresAll, probsAll, pooled, logits);
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** erf with |error| below 1e-12 (series for small |x|, continued fraction otherwise). */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {
            // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
            double sum = 0;
            double term = ax;
            for (int n = 0; n < 200; n++) {
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17) {
                    break;
                }
                term *= -ax * ax / (n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc continued fraction (Lentz)
            double tiny = 1e-300;
            double f = ax;
            double cc = f;
            double dd = 0;
            for (int n = 1; n < 500; n++) {
                double an = n / 2.0;
                dd = ax + an * dd;
                dd = dd == 0 ? tiny : dd;
                cc = ax + an / cc;
                cc = cc == 0 ? tiny : cc;
                dd = 1 / dd;
                double delta = cc * dd;
                f *= delta;
                if (Math.abs(delta - 1) < 1e-16) {
                    break;
                }
            }
            double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
            r = 1 - erfc;
        }
        return x < 0 ? -r : r;
    }

    private double[][] linear(double[][] x, String prefix) {
        float[] wt = w.get(prefix + ".weight");
        float[] bias = w.get(prefix + ".bias");
        int out = bias.length;
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double acc = bias[o];
                for (int k = 0; k < in; k++) {
                    acc += wt[o * in + k] * x[t][k];
                }
                y[t][o] = acc;
            }
        }
        return y;
    }

    private double[] layerNorm(double[] v, String prefix, double eps) {
        float[] g = w.get(prefix + ".weight");
        float[] bb = w.get(prefix + ".bias");
        double mean = 0;
        for (double e : v) {
            mean += e;
        }
        mean /= v.length;
        double var = 0;
        for (double e : v) {
            var += (e - mean) * (e - mean);
        }
        var /= v.length;
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = (v[k] - mean) / Math.sqrt(var + eps) * g[k] + bb[k];
        }
        return out;
    }
}
