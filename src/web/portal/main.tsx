/** @jsxImportSource preact */
import { render } from 'preact'
import { App } from './App.js'
import './portal.css'

render(<App />, document.getElementById('root')!)
