//! The PyTorch script (`experiment::pytorch`): it carries exactly the
//! trainer's data, initial weights and batch order; every schedule,
//! optimizer and head gives a file Python compiles; the command line writes
//! it and refuses what it cannot carry. (Running it under PyTorch is
//! `scripts/check-pytorch.sh`: torch is not installed for the tests.)

use std::process::Command;

use hyperlab::base64::unbase64;
use hyperlab::engine::train::RunState;
use hyperlab::experiment::{ExperimentSpec, from_query, pytorch};

fn spec(query: &str) -> ExperimentSpec {
    let (spec, notices) = from_query(query);
    assert!(notices.is_empty(), "{query}: {notices:?}");
    spec
}

/// The base64 text of the script's `NAME = …` assignment (one string, or
/// lines of strings in parentheses), decoded.
fn blob(script: &str, name: &str) -> Vec<u8> {
    let start = script.find(&format!("\n{name} = ")).unwrap_or_else(|| panic!("{name} is in the script"));
    let rest = &script[start + name.len() + 4..];
    let end = if rest.starts_with('(') { rest.find("\n)").expect("closed") } else { rest.find('\n').expect("line") };
    let text: String = rest[..end].split('"').skip(1).step_by(2).collect();
    unbase64(&text).unwrap_or_else(|| panic!("{name} is base64"))
}

fn floats(bytes: &[u8]) -> Vec<f32> {
    bytes.chunks(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

fn int16s(bytes: &[u8]) -> Vec<usize> {
    bytes.chunks(2).map(|c| i16::from_le_bytes([c[0], c[1]]) as usize).collect()
}

#[test]
fn the_script_carries_the_trainers_data_weights_and_batches_bit_for_bit() {
    for query in ["ep=3&bs=16", "data=iris&ep=2&test=0.2&opt=adam", "data=moons&feat=x1,x2,x1sq&ep=2"] {
        let spec = spec(query);
        let trainer = spec.trainer().expect("valid");
        let text = pytorch::script(&spec, &trainer, "https://example.org/lab/?x").expect("written");
        let data = trainer.data();
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for (name, values) in [
            ("TRAIN_X", &data.train.x),
            ("TRAIN_Y", &data.train.y),
            ("VAL_X", &data.val.x),
            ("VAL_Y", &data.val.y),
            ("TEST_X", &data.test.x),
            ("TEST_Y", &data.test.y),
            ("INITIAL", &trainer.model().params),
        ] {
            assert_eq!(bits(&floats(&blob(&text, name))), bits(values), "{query}: {name}");
        }
        assert_eq!(int16s(&blob(&text, "ORDER")), trainer.upcoming_orders(spec.n_epochs), "{query}");
        let sizes = &trainer.model().config.sizes;
        assert!(text.contains(&format!("    \"inputs\": {},", sizes[0])), "{query}");
        assert!(text.contains(&format!("    \"outputs\": {},", sizes[sizes.len() - 1])), "{query}");
        assert!(!text.contains("{{"), "{query}: every slot is filled");
    }
}

#[test]
fn the_exported_order_is_the_order_the_trainer_trains_in() {
    // Replays the first epoch from the exported order with the engine's own
    // pieces and compares the weights with the trainer's, bit for bit.
    let spec = spec("ep=2&bs=7&opt=sgd&lr=0.1&mom=0.9");
    let mut trainer = spec.trainer().expect("valid");
    let order = trainer.upcoming_orders(2);
    let n = trainer.data().train.len();
    let mut model = trainer.model().clone();
    let mut ws = model.workspace();
    let mut grad = vec![0.0f32; model.params.len()];
    let mut optimizer = spec.optimizer.build::<f32>(model.params.len());
    for epoch in 0..2 {
        for batch in order[epoch * n..(epoch + 1) * n].chunks(spec.batch_size) {
            model.batch_grad(&trainer.data().train, batch, &mut ws, &mut grad, None);
            optimizer.step(&mut model.params, &grad, spec.lr);
        }
        assert_ne!(trainer.step_epoch(), RunState::Diverged { epoch: epoch + 1 });
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&model.params), bits(&trainer.model().params), "epoch {}", epoch + 1);
    }
}

#[test]
fn every_schedule_optimizer_and_head_gives_a_file_python_compiles() {
    let queries = [
        "ep=5",
        "ep=5&sched=time&decay=0.1",
        "ep=5&sched=step&every=2&rate=0.5",
        "ep=5&sched=step&start=1&every=2&rate=0.5",
        "ep=5&sched=multistep&ms=2-4&gamma=0.5",
        "ep=5&sched=exp_course&decay=0.03",
        "ep=5&sched=exp&decay=0.1",
        "ep=5&sched=inverse_time&rate=0.1&steps=2&stair=1",
        "ep=5&sched=poly&total=5&power=2",
        "ep=5&sched=cosine&tmax=5&lrmin=0.001",
        "ep=5&sched=restarts&t0=2&tmult=2",
        "ep=5&sched=cyclic&lrmin=0.01&up=2&down=2",
        "ep=5&sched=cyclic2",
        "ep=5&sched=cyclic_exp&gamma=0.9",
        "ep=5&sched=onecycle&total=5",
        "ep=9&sched=onecycle&total=5&anneal=linear",
        "ep=5&sched=plateau&pat=1",
        "ep=5&sched=cosine&wu=2&wus=0.1&lrc=4:0.01",
        "ep=5&opt=adagrad&lrd=0.01&acc0=0.1",
        "ep=5&opt=adadelta&rho=0.95",
        "ep=5&opt=rmsprop&centered=1&mom=0.5",
        "ep=5&opt=adam&amsgrad=1&wd=0.01",
        "ep=5&opt=adamw",
        "ep=5&opt=sgd&mom=0.9&nesterov=1",
        "ep=5&drop=0.2&l1=0.001&clip=1&es=2&esm=accuracy",
        "data=iris&ep=5&test=0.2",
        "data=sine&ep=5&loss=huber&huber=0.5",
        "data=plane&ep=5&loss=mae&act=gelu",
        "data=digits&ep=2&act=relu,elu",
    ];
    let dir = std::env::temp_dir().join(format!("hyperlab-pytorch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    for (i, query) in queries.iter().enumerate() {
        let spec = spec(query);
        let text = pytorch::script_for(&spec, None, &hyperlab::experiment::page_link("", &spec)).expect(query);
        assert!(!text.contains("{{"), "{query}: every slot is filled");
        let file = dir.join(format!("case{i}.py"));
        std::fs::write(&file, &text).expect("written");
        let out = Command::new("python3").args(["-m", "py_compile"]).arg(&file).output().expect("python3 runs");
        assert!(out.status.success(), "{query}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_script_says_which_pytorch_parts_it_uses() {
    let uses = |query: &str, part: &str| {
        let spec = spec(query);
        let text = pytorch::script_for(&spec, None, "").expect(query);
        assert!(text.contains(part), "{query}: `{part}` is not in the script");
    };
    // Every setting by its link key, the optimizer's and the schedule's included.
    uses("opt=adam&b1=0.8", "    \"opt\": \"adam\",\n");
    uses("opt=adam&b1=0.8", "    \"b1\": 0.8,\n    \"b2\": 0.999,\n    \"eps\": 1e-8,");
    uses("opt=sgd&mom=0.9&nesterov=1", "    \"mom\": 0.9,\n    \"damp\": 0.0,\n    \"nesterov\": True,");
    uses("sched=multistep&ms=10-20", "    \"ms\": [10, 20],");
    uses("data=iris&hidden=16-4&act=relu-tanh", "    \"hidden\": [16, 4],\n    \"act\": [\"relu\", \"tanh\"],");
    // The header names PyTorch's classes, or says where the lab's formula stands in.
    uses("opt=adam", "the optimizer (torch.optim.Adam with the");
    uses("sched=step&start=1&every=3&rate=0.5", "the schedule (torch.optim.lr_scheduler.StepLR)");
    uses("sched=step&every=3&rate=0.5", "the schedule (LambdaLR over HyperLab's formula)");
    uses("ep=600&sched=onecycle&total=500", "the schedule (LambdaLR over HyperLab's formula)");
    uses("sched=plateau", "torch.optim.lr_scheduler.ReduceLROnPlateau");
    uses("drop=0.3", "PyTorch draws its own masks");
}

#[test]
fn the_command_line_writes_the_script_and_refuses_what_it_cannot_carry() {
    let bin = env!("CARGO_BIN_EXE_hyperlab");
    let url = "https://example.org/course/lab/?v=1&ep=4&opt=adam";
    let out = Command::new(bin).args(["export", "pytorch", url]).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("text");
    let spec = spec("ep=4&opt=adam");
    let trainer = spec.trainer().expect("valid");
    let link = hyperlab::experiment::page_link("https://example.org/course/lab/", &spec);
    assert_eq!(text, pytorch::script(&spec, &trainer, &link).expect("written"), "the page's file for the link");
    assert!(text.contains("#   https://example.org/course/lab/?"), "the header names the page's address");

    let refuse = |args: &[&str], names: &str| {
        let out = Command::new(bin).args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(names), "{args:?}: {err}");
    };
    refuse(&["export"], "`export` needs what to export");
    refuse(&["export", "keras", "ep=3"], "unknown export `keras`");
    refuse(&["export", "pytorch", "data=digits&ep=5000"], "`--epochs`");
    refuse(&["export", "pytorch", "lr=-1"], "`--lr`");
    refuse(&["export", "pytorch", "--out"], "`--out` needs a file name");
}
