{
  "targets": [
    {
      "target_name": "tfjs_blas",
      "sources": ["tfjs_blas.c"],
      "cflags": ["-O3", "-ffp-contract=off", "-fno-math-errno", "-Wall", "-Wextra"],
      "libraries": ["-lopenblas", "-ldl"]
    }
  ]
}
