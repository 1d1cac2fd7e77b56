{
  "targets": [
    {
      "target_name": "tfjs_blas",
      "sources": ["tfjs_blas.c"],
      "cflags": ["-O2", "-ffp-contract=off", "-Wall", "-Wextra"],
      "libraries": ["-lopenblas"]
    }
  ]
}
