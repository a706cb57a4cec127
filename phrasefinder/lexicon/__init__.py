"""Lexicons: curated YAML files of formulas, loaded, validated and edited as one set."""
