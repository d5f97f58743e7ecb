//! Textual TOSA from `tosa-converter-for-tflite --text` rewritten into a
//! form the pinned `iree-compile` (an older MLIR) parses. The converter's
//! bytecode is preferred, but for models with state variables its
//! `tosa.variable` carries a newer attribute layout the compiler rejects;
//! its text form prints ops in the newer custom syntax
//! (`tosa.concat %a, %b {axis = 1 : i32} : ...`), so every such op is
//! written in the generic form (`"tosa.concat"(%a, %b) <{axis = 1 : i32}>
//! : ...`) that both versions read. The variable ops, whose syntax did not
//! change, and every other line pass through unchanged.

/// Ops printed the same way by both MLIR versions.
const UNCHANGED: &[&str] = &["variable", "variable_read", "variable_write"];
/// Enum attributes the newer syntax prints bare (`rounding_mode = SINGLE_ROUND`).
const ENUMS: &[&str] = &["rounding_mode", "nan_mode"];

/// Rewrites every line of `text`.
pub fn to_generic(text: &str) -> String {
    text.split('\n')
        .map(|line| rewrite_line(line).unwrap_or_else(|| line.to_owned()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// One op `[%r = ]tosa.op [%a, %b] [{attrs}] : types` in generic form, or
/// `None` when the line is not such an op (or is one left unchanged).
fn rewrite_line(line: &str) -> Option<String> {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let (result, rest) = match body.strip_prefix('%') {
        Some(_) => {
            let (name, after) = body.split_once(' ')?;
            (format!("{name} = "), after.strip_prefix("= ")?)
        }
        None => (String::new(), body),
    };
    let rest = rest.strip_prefix("tosa.")?;
    let op_len = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
    let (op, mut rest) = rest.split_at(op_len);
    if op.is_empty() || UNCHANGED.contains(&op) {
        return None;
    }
    let mut operands = Vec::new();
    while let Some(after) = rest.strip_prefix(" %") {
        let len = after
            .find(|c: char| !(is_word(c) || c == '#'))
            .unwrap_or(after.len());
        if len == 0 {
            return None;
        }
        operands.push(format!("%{}", &after[..len]));
        rest = &after[len..];
        rest = rest.strip_prefix(',').unwrap_or(rest);
    }
    let (attrs, types) = match rest.trim_start_matches(' ').strip_prefix('{') {
        // The dictionary ends at the last `} : ` (attributes nest braces).
        Some(inner) if rest.starts_with(' ') => {
            let end = inner.rfind("} : ")?;
            (&inner[..end], &inner[end + 4..])
        }
        Some(_) => return None,
        None => ("", rest.strip_prefix(" : ")?),
    };
    let types = if types.contains("->") {
        types.to_owned()
    } else {
        // Same-type ops print one type; the generic form needs the whole
        // function type.
        let inputs = vec![types; operands.len()].join(", ");
        format!("({inputs}) -> {types}")
    };
    let props = if attrs.is_empty() {
        String::new()
    } else {
        format!(" <{{{}}}>", quote_enums(attrs))
    };
    Some(format!(
        "{indent}{result}\"tosa.{op}\"({}){props} : {types}",
        operands.join(", ")
    ))
}

/// `name = VALUE` of the bare enum attributes as `#tosa<name<VALUE>>`.
fn quote_enums(attrs: &str) -> String {
    let mut out = attrs.to_owned();
    for name in ENUMS {
        let key = format!("{name} = ");
        let mut from = 0;
        while let Some(found) = out[from..].find(&key) {
            let start = from + found;
            let value_start = start + key.len();
            let value_len = out[value_start..]
                .find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
                .unwrap_or(out.len() - value_start);
            let before_ok = !out[..start].ends_with(is_word);
            let after_ok = !out[value_start + value_len..].starts_with(is_word);
            if value_len > 0 && before_ok && after_ok {
                let value = out[value_start..value_start + value_len].to_owned();
                let quoted = format!("#tosa<{name}<{value}>>");
                out.replace_range(value_start..value_start + value_len, &quoted);
                from = value_start + quoted.len();
            } else {
                from = value_start;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_syntax_becomes_generic() {
        let cases = [
            (
                "    %3 = tosa.concat %1, %2 {axis = 1 : i32} : (tensor<1xi8>, tensor<1xi8>) -> tensor<2xi8>",
                "    %3 = \"tosa.concat\"(%1, %2) <{axis = 1 : i32}> : (tensor<1xi8>, tensor<1xi8>) -> tensor<2xi8>",
            ),
            (
                "    %0 = tosa.const_shape  {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>",
                "    %0 = \"tosa.const_shape\"() <{values = dense<[1, 2]> : tensor<2xindex>}> : () -> !tosa.shape<2>",
            ),
            (
                "  %5 = tosa.clamp %4 {max_val = 127 : i8, min_val = -128 : i8, nan_mode = PROPAGATE} : tensor<4xi8>",
                "  %5 = \"tosa.clamp\"(%4) <{max_val = 127 : i8, min_val = -128 : i8, nan_mode = #tosa<nan_mode<PROPAGATE>>}> : (tensor<4xi8>) -> tensor<4xi8>",
            ),
            (
                "%7 = tosa.rescale %a, %b, %c, %d, %e {rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1xi8>",
                "%7 = \"tosa.rescale\"(%a, %b, %c, %d, %e) <{rounding_mode = #tosa<rounding_mode<DOUBLE_ROUND>>, scale32 = true}> : (tensor<1xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1xi8>",
            ),
            (
                "    %9 = tosa.reshape %8, %0 : (tensor<2xi8>, !tosa.shape<2>) -> tensor<1x2xi8>",
                "    %9 = \"tosa.reshape\"(%8, %0) : (tensor<2xi8>, !tosa.shape<2>) -> tensor<1x2xi8>",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(to_generic(input), expected);
        }
    }

    #[test]
    fn other_lines_pass_through() {
        let text = [
            "  tosa.variable @\"stream/states\" = dense<-128> : tensor<1x2x1x40xi8>",
            "    %1 = tosa.variable_read @\"stream/states\" : tensor<1x2x1x40xi8>",
            "    %2 = \"tosa.const\"() <{values = dense<41> : tensor<1xi8>}> : () -> tensor<1xi8>",
            "    return %2 : tensor<1xi8>",
            "func.func @main(%arg0: tensor<1xi8>) -> tensor<1xi8> {",
            "",
        ]
        .join("\n");
        assert_eq!(to_generic(&text), text);
        assert_eq!(
            quote_enums("xnan_mode = A, nan_mode = Ab"),
            "xnan_mode = A, nan_mode = Ab"
        );
    }
}
