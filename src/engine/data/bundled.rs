//! Reading the bundled real data sets (`static/data/*.csv`).

use super::{Dataset, Task};

/// Parses a bundled CSV: a first line `n_samples,n_features,class names…`,
/// then one row per sample, the features followed by the class index.
pub fn parse_csv(text: &str) -> Result<Dataset, String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().ok_or("empty file")?;
    let fields: Vec<&str> = header.split(',').collect();
    let parse_count = |i: usize, what: &str| -> Result<usize, String> {
        fields.get(i).and_then(|f| f.trim().parse().ok()).ok_or_else(|| format!("header: no {what}"))
    };
    let n_samples = parse_count(0, "sample count")?;
    let n_features = parse_count(1, "feature count")?;
    let n_classes = fields.len().saturating_sub(2);
    if n_classes < 2 {
        return Err("header: fewer than two class names".into());
    }
    let mut x = Vec::with_capacity(n_samples * n_features);
    let mut y = Vec::with_capacity(n_samples);
    for (row, line) in lines.enumerate() {
        let values: Vec<&str> = line.split(',').collect();
        if values.len() != n_features + 1 {
            return Err(format!("row {}: {} values, expected {}", row + 2, values.len(), n_features + 1));
        }
        for v in &values[..n_features] {
            x.push(v.trim().parse::<f32>().map_err(|_| format!("row {}: `{v}` is not a number", row + 2))?);
        }
        let label: usize = values[n_features]
            .trim()
            .parse::<f32>()
            .ok()
            .filter(|l| l.fract() == 0.0 && *l >= 0.0 && (*l as usize) < n_classes)
            .map(|l| l as usize)
            .ok_or_else(|| format!("row {}: bad class `{}`", row + 2, values[n_features]))?;
        y.push(label as f32);
    }
    if y.len() != n_samples {
        return Err(format!("{} rows, header says {n_samples}", y.len()));
    }
    Ok(Dataset { n_features, x, y, task: Task::Classification { n_classes } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let d = parse_csv("3,2,a,b\n1,2,0\n3,4.5,1\n-1,0,1\n").unwrap();
        assert_eq!((d.len(), d.n_features), (3, 2));
        assert_eq!(d.x, [1.0, 2.0, 3.0, 4.5, -1.0, 0.0]);
        assert_eq!(d.class_counts(), [1, 2]);
        assert!(parse_csv("").is_err());
        assert!(parse_csv("2,2,a,b\n1,2,0\n").unwrap_err().contains("header says 2"));
        assert!(parse_csv("1,2,a,b\n1,2,7\n").unwrap_err().contains("bad class"));
        assert!(parse_csv("1,2,a,b\n1,x,0\n").unwrap_err().contains("not a number"));
    }
}
