fn main() {
    tfa_panel::mount();
}
