/*
 * tfjs_blas: OpenBLAS sgemm on Float32Array views, for @affectzoo/tfjs-blas.
 *
 * The views are zero-copy windows onto TF.js wasm's heap, so this code is the last line of defence
 * against corrupting that heap: every length is checked against the shapes before any BLAS call,
 * the output may not overlap any input, and nothing is written outside the output view.
 * Plain N-API (no node-addon-api) so that building it needs nothing from the npm registry.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
  float *data;
  size_t length; /* elements */
} f32view;

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

static napi_value throw_range(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

/* A Float32Array argument; anything else (other typed arrays, DataView, plain arrays) is refused. */
static bool get_f32(napi_env env, napi_value v, f32view *out) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  napi_value ab;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok) return false;
  if (type != napi_float32_array) return false;
  out->data = (float *)data; /* already advanced by the view's byte offset */
  out->length = length;
  return true;
}

/* An integer in [lo, INT_MAX] (cblas takes int dimensions); fractions, NaN and huge values refused. */
static bool get_dim(napi_env env, napi_value v, int lo, int *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) return false;
  if (!(d >= lo && d <= INT_MAX) || d != floor(d)) return false;
  *out = (int)d;
  return true;
}

static bool get_bool(napi_env env, napi_value v, bool *out) {
  return napi_get_value_bool(env, v, out) == napi_ok;
}

static bool mul3(size_t a, size_t b, size_t c, size_t *out) {
  size_t ab;
  return !__builtin_mul_overflow(a, b, &ab) && !__builtin_mul_overflow(ab, c, out);
}

static bool overlaps(const float *p, size_t np, const float *q, size_t nq) {
  if (np == 0 || nq == 0) return false;
  uintptr_t a0 = (uintptr_t)p, a1 = (uintptr_t)(p + np), b0 = (uintptr_t)q, b1 = (uintptr_t)(q + nq);
  return a0 < b1 && b0 < a1;
}

/* Multiply-adds below which a product runs on one OpenBLAS thread (see sgemm). */
#define SMALL_PRODUCT_MACS 8e6

enum { ACT_LINEAR = 0, ACT_RELU = 1, ACT_RELU6 = 2, ACT_LEAKYRELU = 3, ACT_SIGMOID = 4, ACT_ELU = 5 };

/*
 * sgemm(a, b, c, batch, m, n, k, transposeA, transposeB, aBatched, bBatched, bias, activation, alpha)
 * Row-major, per batch i: c[i] = act(op(a[i or 0]) op(b[i or 0]) + bias), c[i] is m x n,
 * op(a) m x k (a stored k x m when transposed), op(b) k x n (b stored n x k when transposed).
 * bias: null/undefined, or a Float32Array of length n or 1 (broadcast over rows).
 */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 14;
  napi_value argv[14];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return throw_type(env, "tfjs-blas: bad call");
  if (argc != 14) return throw_type(env, "tfjs-blas: sgemm takes 14 arguments");
  f32view a, b, c, bias = {NULL, 0};
  if (!get_f32(env, argv[0], &a) || !get_f32(env, argv[1], &b) || !get_f32(env, argv[2], &c)) {
    return throw_type(env, "tfjs-blas: a, b and c must be Float32Arrays");
  }
  int batch, m, n, k, activation;
  if (!get_dim(env, argv[3], 1, &batch) || !get_dim(env, argv[4], 1, &m) || !get_dim(env, argv[5], 1, &n) ||
      !get_dim(env, argv[6], 1, &k)) {
    return throw_range(env, "tfjs-blas: batch, m, n and k must be integers in [1, INT_MAX]");
  }
  bool ta, tb, a_batched, b_batched;
  if (!get_bool(env, argv[7], &ta) || !get_bool(env, argv[8], &tb) || !get_bool(env, argv[9], &a_batched) ||
      !get_bool(env, argv[10], &b_batched)) {
    return throw_type(env, "tfjs-blas: transposeA, transposeB, aBatched and bBatched must be booleans");
  }
  napi_valuetype bias_type;
  if (napi_typeof(env, argv[11], &bias_type) != napi_ok) return throw_type(env, "tfjs-blas: bad bias");
  if (bias_type != napi_null && bias_type != napi_undefined) {
    if (!get_f32(env, argv[11], &bias)) return throw_type(env, "tfjs-blas: bias must be a Float32Array or null");
    if (bias.length != (size_t)n && bias.length != 1) return throw_range(env, "tfjs-blas: bias length must be n or 1");
  }
  if (!get_dim(env, argv[12], 0, &activation) || activation > ACT_ELU) {
    return throw_range(env, "tfjs-blas: unknown activation code");
  }
  double alpha_d;
  if (napi_get_value_double(env, argv[13], &alpha_d) != napi_ok) return throw_type(env, "tfjs-blas: alpha must be a number");
  const float alpha = (float)alpha_d;

  /* Exact lengths: a view longer than its shape means the caller computed something else. */
  size_t a_len, b_len, c_len;
  if (!mul3(a_batched ? (size_t)batch : 1, (size_t)m, (size_t)k, &a_len) ||
      !mul3(b_batched ? (size_t)batch : 1, (size_t)k, (size_t)n, &b_len) ||
      !mul3((size_t)batch, (size_t)m, (size_t)n, &c_len)) {
    return throw_range(env, "tfjs-blas: shape too large");
  }
  if (a.length != a_len) return throw_range(env, "tfjs-blas: a's length does not match (batch) x m x k");
  if (b.length != b_len) return throw_range(env, "tfjs-blas: b's length does not match (batch) x k x n");
  if (c.length != c_len) return throw_range(env, "tfjs-blas: c's length does not match batch x m x n");
  /* sgemm with an output aliasing an input is undefined; the views may share one heap. */
  if (overlaps(c.data, c.length, a.data, a.length) || overlaps(c.data, c.length, b.data, b.length) ||
      overlaps(c.data, c.length, bias.data, bias.length)) {
    return throw_range(env, "tfjs-blas: the output overlaps an input");
  }

  const size_t mk = (size_t)m * k, kn = (size_t)k * n, mn = (size_t)m * n;
  const int lda = ta ? m : k, ldb = tb ? k : n;
  /* Small products on one thread: below SMALL_PRODUCT_MACS, waking OpenBLAS's other threads
   * costs more than they save (measured on the 2-core machines: [256 x 1288] x [1288 x 12], a head's
   * output layer, 190 us on one thread and 480 us on two). */
  const double macs = (double)batch * m * n * k;
  const int threads = openblas_get_num_threads();
  const bool single = threads > 1 && macs < SMALL_PRODUCT_MACS;
  if (single) openblas_set_num_threads(1);
  for (size_t i = 0; i < (size_t)batch; i++) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f,
                a.data + (a_batched ? i * mk : 0), lda, b.data + (b_batched ? i * kn : 0), ldb, 0.0f,
                c.data + i * mn, n);
  }
  if (single) openblas_set_num_threads(threads);

  if (bias.data != NULL || activation != ACT_LINEAR) {
    float *out = c.data;
    for (size_t i = 0; i < c_len; i++) {
      float x = out[i];
      if (bias.data != NULL) x += bias.length == 1 ? bias.data[0] : bias.data[i % (size_t)n];
      switch (activation) {
        case ACT_RELU: x = x < 0.0f ? 0.0f : x; break;
        case ACT_RELU6: x = x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x); break;
        case ACT_LEAKYRELU: x = x < 0.0f ? alpha * x : x; break;
        case ACT_SIGMOID: x = 1.0f / (1.0f + expf(-x)); break;
        case ACT_ELU: x = x < 0.0f ? expm1f(x) : x; break;
        default: break;
      }
      out[i] = x;
    }
  }
  return NULL;
}

/*
 * The optimizer updates below are single passes over the weights where TF.js runs one wasm
 * kernel (and one new tensor) per arithmetic step: about 14 passes for Adam. They repeat TF.js's
 * float32 arithmetic in the same order (no FMA contraction: -ffp-contract=off), so the results
 * are those of @affectzoo/optim-sam's composed ops.
 */

/* Reads `count` Float32Array arguments of one common length into views; false if any is not. */
static bool get_same_length(napi_env env, napi_value *argv, size_t count, f32view *views) {
  for (size_t i = 0; i < count; i++) {
    if (!get_f32(env, argv[i], &views[i])) return false;
    if (views[i].length != views[0].length) return false;
  }
  return true;
}

/* No output may overlap an input or another output (inputs may share memory with each other). */
static bool outputs_disjoint(const f32view *in, size_t n_in, const f32view *out, size_t n_out) {
  for (size_t o = 0; o < n_out; o++) {
    for (size_t i = 0; i < n_in; i++) {
      if (overlaps(out[o].data, out[o].length, in[i].data, in[i].length)) return false;
    }
    for (size_t p = o + 1; p < n_out; p++) {
      if (overlaps(out[o].data, out[o].length, out[p].data, out[p].length)) return false;
    }
  }
  return true;
}

static bool get_float(napi_env env, napi_value v, float *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || !isfinite(d)) return false;
  *out = (float)d;
  return true;
}

/*
 * The loops are compiled twice (AVX2 and the x86-64 baseline, picked at load time) and kept free
 * of branches so they vectorise: square roots and divisions dominate, and 8 lanes do them ~4x
 * faster than scalar code. The results are the same either way (IEEE sqrt and division are
 * exact-rounded per lane; -ffp-contract=off forbids fused multiply-adds). -fno-math-errno lets
 * sqrtf vectorise (errno is never read; v is never negative).
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define VECTOR_CLONES
#endif

VECTOR_CLONES
static void adam_loop(size_t n, const float *restrict w, const float *restrict g, const float *restrict m,
                      const float *restrict v, float *restrict w_out, float *restrict m_out, float *restrict v_out,
                      float wd, float decay, float b1, float one_b1, float b2, float one_b2, float sqrt_c2, float eps,
                      float step) {
  const bool coupled = wd != 0.0f, shrink = decay != 1.0f;
  for (size_t i = 0; i < n; i++) {
    const float wi = shrink ? w[i] * decay : w[i];
    const float gi = coupled ? g[i] + w[i] * wd : g[i];
    const float mi = m[i] * b1 + gi * one_b1;
    const float vi = v[i] * b2 + (gi * gi) * one_b2;
    const float denom = sqrtf(vi) / sqrt_c2 + eps;
    m_out[i] = mi;
    v_out[i] = vi;
    w_out[i] = wi - (mi / denom) * step;
  }
}

VECTOR_CLONES
static void sgd_loop(size_t n, const float *restrict w, const float *restrict g, const float *restrict buf,
                     float *restrict w_out, float *restrict buf_out, float lr, float mom, float wd, bool nesterov) {
  const bool decay = wd != 0.0f;
  if (buf == NULL) {
    for (size_t i = 0; i < n; i++) {
      const float gi = decay ? g[i] + w[i] * wd : g[i];
      w_out[i] = w[i] - gi * lr;
    }
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const float gi = decay ? g[i] + w[i] * wd : g[i];
    const float next = buf[i] * mom + gi;
    buf_out[i] = next;
    w_out[i] = w[i] - (nesterov ? gi + next * mom : next) * lr;
  }
}

/*
 * adamUpdate(w, g, m, v, wOut, mOut, vOut, weightDecay, decay, beta1, oneMinusBeta1, beta2,
 *            oneMinusBeta2, sqrtBiasCorrection2, epsilon, stepSize)
 * Coupled decay (weightDecay != 0): g += wd w; decoupled (decay != 1): w *= decay first.
 * m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; w -= (m / (sqrt(v) / sqrt(c2) + eps)) step.
 * Every scalar arrives computed by JavaScript, exactly as the composed TF.js ops receive it.
 */
static napi_value adam_update(napi_env env, napi_callback_info info) {
  size_t argc = 16;
  napi_value argv[16];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 16) {
    return throw_type(env, "tfjs-blas: adamUpdate takes 16 arguments");
  }
  f32view t[7];
  if (!get_same_length(env, argv, 7, t)) return throw_type(env, "tfjs-blas: adamUpdate needs 7 Float32Arrays of one length");
  if (!outputs_disjoint(t, 4, t + 4, 3)) return throw_range(env, "tfjs-blas: an output overlaps another array");
  float sc[9];
  for (int i = 0; i < 9; i++) {
    if (!get_float(env, argv[7 + i], &sc[i])) return throw_type(env, "tfjs-blas: adamUpdate's scalars must be finite numbers");
  }
  const float wd = sc[0], decay = sc[1], b1 = sc[2], one_b1 = sc[3], b2 = sc[4], one_b2 = sc[5], sqrt_c2 = sc[6],
              eps = sc[7], step = sc[8];
  const float *w = t[0].data, *g = t[1].data, *m = t[2].data, *v = t[3].data;
  float *w_out = t[4].data, *m_out = t[5].data, *v_out = t[6].data;
  const size_t n = t[0].length;
  adam_loop(n, w, g, m, v, w_out, m_out, v_out, wd, decay, b1, one_b1, b2, one_b2, sqrt_c2, eps, step);
  return NULL;
}

static bool is_null(napi_env env, napi_value v) {
  napi_valuetype type;
  return napi_typeof(env, v, &type) == napi_ok && (type == napi_null || type == napi_undefined);
}

/*
 * sgdUpdate(w, g, buf, wOut, bufOut, lr, momentum, weightDecay, nesterov): PyTorch's SGD.
 * g += wd w; buf = momentum buf + g; step = nesterov ? g + momentum buf : buf; w -= lr step.
 * Without momentum (0) buf and bufOut are null.
 */
static napi_value sgd_update(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 9) {
    return throw_type(env, "tfjs-blas: sgdUpdate takes 9 arguments");
  }
  float lr, mom, wd;
  bool nesterov;
  if (!get_float(env, argv[5], &lr) || !get_float(env, argv[6], &mom) || !get_float(env, argv[7], &wd) ||
      !get_bool(env, argv[8], &nesterov)) {
    return throw_type(env, "tfjs-blas: sgdUpdate's hyper-parameters must be finite numbers (nesterov a boolean)");
  }
  const bool momentum = mom != 0.0f;
  /* in: w, g[, buf]; out: wOut[, bufOut] */
  napi_value in_args[3] = {argv[0], argv[1], argv[2]}, out_args[2] = {argv[3], argv[4]};
  f32view in[3], out[2];
  const size_t n_in = momentum ? 3 : 2, n_out = momentum ? 2 : 1;
  if (!momentum && (!is_null(env, argv[2]) || !is_null(env, argv[4]))) {
    return throw_type(env, "tfjs-blas: sgdUpdate without momentum takes null buffers");
  }
  if (!get_same_length(env, in_args, n_in, in) || !get_same_length(env, out_args, n_out, out) ||
      out[0].length != in[0].length) {
    return throw_type(env, "tfjs-blas: sgdUpdate needs Float32Arrays of one length");
  }
  if (!outputs_disjoint(in, n_in, out, n_out)) return throw_range(env, "tfjs-blas: an output overlaps another array");
  const float *w = in[0].data, *g = in[1].data, *buf = momentum ? in[2].data : NULL;
  float *w_out = out[0].data, *buf_out = momentum ? out[1].data : NULL;
  sgd_loop(in[0].length, w, g, buf, w_out, buf_out, lr, mom, wd, nesterov);
  return NULL;
}

VECTOR_CLONES
static void column_sum_loop(size_t rows, size_t cols, const float *restrict x, float *restrict out) {
  for (size_t c = 0; c < cols; c++) out[c] = 0.0f;
  for (size_t r = 0; r < rows; r++) {
    const float *row = x + r * cols;
    for (size_t c = 0; c < cols; c++) out[c] += row[c];
  }
}

/* Parses (x, out, rows, cols) with x rows x cols and out cols long, not overlapping; false after throwing. */
static bool get_columns(napi_env env, napi_callback_info info, const char *name, f32view *x, f32view *out, int *rows, int *cols) {
  size_t argc = 4;
  napi_value argv[4];
  char msg[96];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 4) {
    snprintf(msg, sizeof msg, "tfjs-blas: %s takes 4 arguments", name);
    throw_type(env, msg);
    return false;
  }
  if (!get_f32(env, argv[0], x) || !get_f32(env, argv[1], out)) {
    snprintf(msg, sizeof msg, "tfjs-blas: %s needs Float32Arrays", name);
    throw_type(env, msg);
    return false;
  }
  if (!get_dim(env, argv[2], 1, rows) || !get_dim(env, argv[3], 1, cols)) {
    throw_range(env, "tfjs-blas: rows and cols must be integers in [1, INT_MAX]");
    return false;
  }
  size_t n;
  if (!mul3((size_t)*rows, (size_t)*cols, 1, &n) || x->length != n || out->length != (size_t)*cols) {
    snprintf(msg, sizeof msg, "tfjs-blas: %s's lengths do not match rows x cols and cols", name);
    throw_range(env, msg);
    return false;
  }
  if (overlaps(out->data, out->length, x->data, x->length)) {
    throw_range(env, "tfjs-blas: the output overlaps the input");
    return false;
  }
  return true;
}

/* columnSum(x, out, rows, cols): out[c] = sum over r of x[r cols + c], in row order per column. */
static napi_value column_sum(napi_env env, napi_callback_info info) {
  f32view x, out;
  int rows, cols;
  if (!get_columns(env, info, "columnSum", &x, &out, &rows, &cols)) return NULL;
  column_sum_loop((size_t)rows, (size_t)cols, x.data, out.data);
  return NULL;
}

/*
 * columnMean(x, out, rows, cols): the column sum divided by rows, as wasm's Mean kernel divides
 * its row-order sum by the reduced size (float division: the same result).
 */
static napi_value column_mean(napi_env env, napi_callback_info info) {
  f32view x, out;
  int rows, cols;
  if (!get_columns(env, info, "columnMean", &x, &out, &rows, &cols)) return NULL;
  column_sum_loop((size_t)rows, (size_t)cols, x.data, out.data);
  const float divisor = (float)rows;
  for (size_t c = 0; c < (size_t)cols; c++) out.data[c] /= divisor;
  return NULL;
}

/*
 * tanh(x, out): out[i] = tanh(x[i]) in float32. TF.js wasm's Tanh is a scalar libm call (~20 ns an
 * element, as is glibc's scalar tanhf); glibc's vector math library (libmvec, glibc 2.35+) does 8
 * at once within about an ulp, ~20x faster. It is looked up at run time: with an older glibc, or
 * without AVX2, the scalar tanhf runs.
 */
#if defined(__x86_64__)
#include <dlfcn.h>
#include <pthread.h>
#include <immintrin.h>
typedef __m256 (*tanh8_fn)(__m256);

/* libmvec's 8-wide AVX2 tanhf, looked up once (NULL: none, or no AVX2). pthread_once: Node's
 * worker threads may load the addon and call Tanh at the same time. */
static tanh8_fn vector_tanh_fn = NULL;
static pthread_once_t vector_tanh_once = PTHREAD_ONCE_INIT;

static void look_up_vector_tanh(void) {
  void *lib = __builtin_cpu_supports("avx2") ? dlopen("libmvec.so.1", RTLD_NOW | RTLD_LOCAL) : NULL;
  if (lib != NULL) vector_tanh_fn = (tanh8_fn)dlsym(lib, "_ZGVdN8v_tanhf");
}

static tanh8_fn vector_tanh(void) {
  pthread_once(&vector_tanh_once, look_up_vector_tanh);
  return vector_tanh_fn;
}

__attribute__((target("avx2"))) static void tanh_avx2(tanh8_fn tanh8, const float *x, float *out, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, tanh8(_mm256_loadu_ps(x + i)));
  for (; i < n; i++) out[i] = tanhf(x[i]);
}
#endif

static bool has_vector_tanh(void) {
#if defined(__x86_64__)
  return vector_tanh() != NULL;
#else
  return false;
#endif
}

static void tanh_loop(const float *x, float *out, size_t n) {
#if defined(__x86_64__)
  tanh8_fn tanh8 = vector_tanh();
  if (tanh8 != NULL) {
    tanh_avx2(tanh8, x, out, n);
    return;
  }
#endif
  for (size_t i = 0; i < n; i++) out[i] = tanhf(x[i]);
}

static napi_value tanh_map(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2) {
    return throw_type(env, "tfjs-blas: tanh takes 2 arguments");
  }
  f32view views[2];
  if (!get_same_length(env, argv, 2, views)) return throw_type(env, "tfjs-blas: tanh needs two Float32Arrays of one length");
  if (overlaps(views[1].data, views[1].length, views[0].data, views[0].length)) {
    return throw_range(env, "tfjs-blas: the output overlaps the input");
  }
  tanh_loop(views[0].data, views[1].data, views[0].length);
  return NULL;
}

/* info(): what OpenBLAS was built for and detected, for benchmarks and bug reports. */
static napi_value blas_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj, v;
  if (napi_create_object(env, &obj) != napi_ok) return NULL;
  const char *config = openblas_get_config();
  const char *core = openblas_get_corename();
  napi_create_string_utf8(env, config ? config : "", NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "config", v);
  napi_create_string_utf8(env, core ? core : "", NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "coreName", v);
  napi_create_int32(env, openblas_get_num_threads(), &v);
  napi_set_named_property(env, obj, "threads", v);
  napi_get_boolean(env, has_vector_tanh(), &v);
  napi_set_named_property(env, obj, "vectorTanh", v);
  return obj;
}

/* setThreads(n): OpenBLAS's thread count (the machine may be shared with other work). */
static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int n;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 || !get_dim(env, argv[0], 1, &n) ||
      n > 1024) {
    return throw_range(env, "tfjs-blas: setThreads takes an integer in [1, 1024]");
  }
  openblas_set_num_threads(n);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
    {"adamUpdate", NULL, adam_update, NULL, NULL, NULL, napi_enumerable, NULL},
    {"sgdUpdate", NULL, sgd_update, NULL, NULL, NULL, napi_enumerable, NULL},
    {"columnSum", NULL, column_sum, NULL, NULL, NULL, napi_enumerable, NULL},
    {"columnMean", NULL, column_mean, NULL, NULL, NULL, napi_enumerable, NULL},
    {"tanh", NULL, tanh_map, NULL, NULL, NULL, napi_enumerable, NULL},
    {"info", NULL, blas_info, NULL, NULL, NULL, napi_enumerable, NULL},
    {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
