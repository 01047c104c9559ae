//! Every `show` and `predict` exercise of the notebook can be solved: its `:::solution` is run
//! on the demo's real session (natively, on `Device::flex()`, the CPU backend the browser runs
//! too), and the finished run must meet the exercise's goal by the same rule the page and the
//! teacher's view apply (`occam_demos::exercise::unmet`).

use std::path::Path;

use occam_chapters::compile_notebook;
use occam_core::burn::prelude::Device;
use occam_demos::exercise::{RunRecord, unmet};
use occam_demos::session::{Session, Step};

#[test]
fn every_solution_meets_its_goal() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../chapters");
    let chapters = compile_notebook(&dir, |path| std::fs::read_to_string(path))
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    let mut checked = 0;
    for exercise in chapters.iter().flat_map(|chapter| &chapter.exercises) {
        let (Some(demo), Some((goal, solution))) =
            (exercise.kind.demo(), exercise.kind.goal_and_solution())
        else {
            continue;
        };
        let spec = occam_demos::demo(demo).expect("a known demo");
        let pairs: Vec<(&str, &str)> = solution
            .split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .collect();
        let parsed = occam_demos::params::parse(spec.params, pairs.iter().copied());
        assert!(
            parsed.notices.is_empty(),
            "{}: {:?}",
            exercise.id,
            parsed.notices
        );
        let mut session = Session::new(demo, &parsed.values, &Device::flex())
            .unwrap_or_else(|error| panic!("{}: {error}", exercise.id));
        let report = loop {
            match pollster::block_on(session.step()) {
                Ok(Step::Done(report)) => break report,
                Ok(_) => {}
                Err(error) => panic!("{}: {error}", exercise.id),
            }
        };
        let run = RunRecord {
            demo: demo.to_owned(),
            params: parsed.values.to_pairs(spec.params).into_iter().collect(),
            backend: "cpu".to_owned(),
            metrics: report.metrics.iter().cloned().collect(),
            build: occam_demos::exercise::BUILD.to_owned(),
        };
        let goal: Vec<&str> = goal.iter().map(String::as_str).collect();
        if let Err(message) = unmet(demo, &goal, &run) {
            panic!(
                "{} (line {}): its solution `{solution}` does not meet the goal: {message}\nmetrics: {:?}",
                exercise.id, exercise.line, run.metrics
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} exercises run a demo");
}
