//! Sweep plots (plotters, SVG): a metric's mean and 95 % interval against one
//! parameter, or a heatmap of the mean over two.

use plotters::prelude::*;

/// One point of a sweep (grid order): the metric's mean and 95 % half-width.
pub struct PlotPoint {
    pub mean: Option<f64>,
    pub ci: Option<f64>,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The plot as SVG text: a line with error bars (one parameter) or a heatmap (two).
pub fn draw(metric: &str, params: &[String], axes: &[Vec<String>], points: &[PlotPoint]) -> Result<String, String> {
    let mut svg = String::new();
    draw_into(&mut svg, metric, params, axes, points)?;
    Ok(svg)
}

/// [`draw`] into `svg`.
fn draw_into(
    svg: &mut String,
    metric: &str,
    params: &[String],
    axes: &[Vec<String>],
    points: &[PlotPoint],
) -> Result<(), String> {
    let root = SVGBackend::with_string(svg, (900, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let vals: Vec<f64> = points
        .iter()
        .filter_map(|p| p.mean.map(|m| (m, p.ci.unwrap_or(0.0))))
        .flat_map(|(m, c)| [m - c, m + c])
        .collect();
    let (lo, hi) = vals
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    if !lo.is_finite() {
        return Err(format!("no run has a value for {metric:?}"));
    }
    match axes.len() {
        1 => {
            let n = axes[0].len();
            let pad = ((hi - lo) * 0.15).max(hi.abs() * 0.01).max(1e-9);
            let mut chart = ChartBuilder::on(&root)
                .caption(format!("{metric} vs {}", params[0]), ("sans-serif", 22))
                .margin(16)
                .x_label_area_size(48)
                .y_label_area_size(80)
                .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), (lo - pad)..(hi + pad))
                .map_err(err)?;
            let labels = axes[0].clone();
            chart
                .configure_mesh()
                .x_desc(params[0].as_str())
                .y_desc(metric)
                .x_labels(n)
                .x_label_formatter(&|x| {
                    let i = x.round();
                    if (x - i).abs() < 0.01 && i >= 0.0 {
                        labels.get(i as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .draw()
                .map_err(err)?;
            let blue = RGBColor(0, 114, 178);
            chart
                .draw_series(LineSeries::new(
                    points
                        .iter()
                        .enumerate()
                        .filter_map(|(i, p)| p.mean.map(|m| (i as f64, m))),
                    blue.stroke_width(2),
                ))
                .map_err(err)?;
            for (i, p) in points.iter().enumerate() {
                if let Some(m) = p.mean {
                    chart
                        .draw_series(std::iter::once(Circle::new((i as f64, m), 4, blue.filled())))
                        .map_err(err)?;
                    if let Some(c) = p.ci {
                        let x = i as f64;
                        chart
                            .draw_series(std::iter::once(PathElement::new(
                                vec![(x, m - c), (x, m + c)],
                                blue.stroke_width(1),
                            )))
                            .map_err(err)?;
                    }
                }
            }
        }
        2 => {
            let (nx, ny) = (axes[0].len(), axes[1].len());
            let mut chart = ChartBuilder::on(&root)
                .caption(format!("{metric}: {} × {}", params[0], params[1]), ("sans-serif", 22))
                .margin(16)
                .x_label_area_size(48)
                .y_label_area_size(90)
                .build_cartesian_2d(
                    (0..nx.saturating_sub(1)).into_segmented(),
                    (0..ny.saturating_sub(1)).into_segmented(),
                )
                .map_err(err)?;
            let (xl, yl) = (axes[0].clone(), axes[1].clone());
            let centre = |v: &SegmentValue<usize>, names: &[String]| match v {
                SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            };
            chart
                .configure_mesh()
                .disable_mesh()
                .x_desc(params[0].as_str())
                .y_desc(params[1].as_str())
                .x_labels(nx)
                .y_labels(ny)
                .x_label_formatter(&|v| centre(v, &xl))
                .y_label_formatter(&|v| centre(v, &yl))
                .draw()
                .map_err(err)?;
            for (k, p) in points.iter().enumerate() {
                let (i, j) = (k / ny, k % ny);
                let t = p
                    .mean
                    .map(|m| if hi > lo { (m - lo) / (hi - lo) } else { 0.5 })
                    .unwrap_or(0.0);
                // Light yellow (low) to dark blue (high).
                let c = RGBColor(
                    (255.0 - 255.0 * t) as u8,
                    (247.0 - 150.0 * t) as u8,
                    (188.0 - 10.0 * t) as u8,
                );
                let cell = [
                    (SegmentValue::Exact(i), SegmentValue::Exact(j)),
                    (SegmentValue::Exact(i + 1), SegmentValue::Exact(j + 1)),
                ];
                chart
                    .draw_series(std::iter::once(Rectangle::new(cell, c.filled())))
                    .map_err(err)?;
                let text = p.mean.map(|m| format!("{m:.3}")).unwrap_or_else(|| "—".into());
                let ink = if t > 0.55 { WHITE } else { BLACK };
                chart
                    .draw_series(std::iter::once(Text::new(
                        text,
                        (SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)),
                        ("sans-serif", 14).into_font().color(&ink),
                    )))
                    .map_err(err)?;
            }
        }
        _ => return Err("plots take one parameter (a line) or two (a heatmap)".into()),
    }
    root.present().map_err(err)
}
